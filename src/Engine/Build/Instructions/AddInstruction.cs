using ContainerPS.Engine.Build.Expansion;

namespace ContainerPS.Engine.Build.Instructions;

/// <summary>
/// ADD [--chown] [--chmod] [--link] [--keep-git-dir] [--checksum] [--exclude] src… dest: like COPY,
/// plus remote URLs and auto-extraction of local tar archives.
/// </summary>
public sealed record AddInstruction : FileInstruction
{
    public override string Name => "ADD";
    public bool KeepGitDir { get; init; }
    public string? Checksum { get; init; }

    public override Instruction Expand(WordExpander expander) =>
        (AddInstruction)ExpandFiles(expander) with { Checksum = Checksum is null ? null : expander.Word(Checksum) };
}
