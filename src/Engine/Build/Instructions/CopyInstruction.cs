using ContainerPS.Engine.Build.Expansion;

namespace ContainerPS.Engine.Build.Instructions;

/// <summary>
/// COPY [--from=stage|index|image] [--chown] [--chmod] [--link] [--parents] [--exclude] src… dest.
/// --from is expanded with the stage's variables like the other fields.
/// </summary>
public sealed record CopyInstruction : FileInstruction
{
    public override string Name => "COPY";
    public string? From { get; init; }
    public bool Parents { get; init; }

    public override Instruction Expand(WordExpander expander) =>
        (CopyInstruction)ExpandFiles(expander) with { From = From is null ? null : expander.Word(From) };
}
