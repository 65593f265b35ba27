using ContainerPS.Engine.Build.Expansion;

namespace ContainerPS.Engine.Build.Instructions;

/// <summary>VOLUME ["/a", "/b"] or VOLUME /a /b: each path is expanded.</summary>
public sealed record VolumeInstruction : Instruction
{
    public override string Name => "VOLUME";
    public required IReadOnlyList<string> Volumes { get; init; }
    public override bool IsExpanded => true;

    /// <exception cref="InstructionParseException">a path that expands to nothing.</exception>
    public override Instruction Expand(WordExpander expander)
    {
        var volumes = Volumes.Select(expander.Word).ToList();
        if (volumes.Any(v => v.Length == 0)) throw new InstructionParseException("VOLUME specified can not be an empty string");
        return this with { Volumes = volumes };
    }
}
