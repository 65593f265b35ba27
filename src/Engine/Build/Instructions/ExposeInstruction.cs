using ContainerPS.Engine.Build.Expansion;

namespace ContainerPS.Engine.Build.Instructions;

/// <summary>EXPOSE port[/proto] …: each word is expanded and may split into several ports.</summary>
public sealed record ExposeInstruction : Instruction
{
    public override string Name => "EXPOSE";
    public required IReadOnlyList<string> Ports { get; init; }
    public override bool IsExpanded => true;

    public override Instruction Expand(WordExpander expander) =>
        this with { Ports = Ports.SelectMany(expander.Words).ToList() };
}
