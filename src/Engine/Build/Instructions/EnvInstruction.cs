using ContainerPS.Engine.Build.Expansion;

namespace ContainerPS.Engine.Build.Instructions;

/// <summary>
/// ENV key=value … (or the legacy `ENV key value with spaces`). Every value is expanded with
/// the environment as it was before this instruction (`ENV A=1 B=$A` sees the old A).
/// </summary>
public sealed record EnvInstruction : Instruction
{
    public override string Name => "ENV";
    public required IReadOnlyList<KeyValue> Variables { get; init; }
    public override bool IsExpanded => true;

    public override Instruction Expand(WordExpander expander) =>
        this with { Variables = Variables.Select(v => new KeyValue(expander.Word(v.Key), expander.Word(v.Value))).ToList() };
}
