using ContainerPS.Engine.Build.Expansion;

namespace ContainerPS.Engine.Build.Instructions;

/// <summary>LABEL key=value …: keys and values are expanded (quotes removed).</summary>
public sealed record LabelInstruction : Instruction
{
    public override string Name => "LABEL";
    public required IReadOnlyList<KeyValue> Labels { get; init; }
    public override bool IsExpanded => true;

    public override Instruction Expand(WordExpander expander) =>
        this with { Labels = Labels.Select(l => new KeyValue(expander.Word(l.Key), expander.Word(l.Value))).ToList() };
}
