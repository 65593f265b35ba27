using ContainerPS.Engine.Build.Expansion;

namespace ContainerPS.Engine.Build.Instructions;

/// <summary>STOPSIGNAL signal: expanded.</summary>
public sealed record StopSignalInstruction : Instruction
{
    public override string Name => "STOPSIGNAL";
    public required string Signal { get; init; }
    public override bool IsExpanded => true;
    public override Instruction Expand(WordExpander expander) => this with { Signal = expander.Word(Signal) };
}
