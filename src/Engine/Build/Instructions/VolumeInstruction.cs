using ContainerPS.Engine.Build.Expansion;

namespace ContainerPS.Engine.Build.Instructions;

/// <summary>VOLUME ["/a", "/b"] or VOLUME /a /b: each path is expanded.</summary>
public sealed record VolumeInstruction : Instruction
{
    public override string Name => "VOLUME";
    public required IReadOnlyList<string> Volumes { get; init; }
    public override bool IsExpanded => true;

    public override Instruction Expand(WordExpander expander) => this with { Volumes = Volumes.Select(expander.Word).ToList() };
}
