using ContainerPS.Engine.Build.Expansion;

namespace ContainerPS.Engine.Build.Instructions;

/// <summary>
/// What COPY and ADD share: sources (paths, wildcards, URLs for ADD), inline heredoc sources,
/// the destination, --chown, --chmod, --link, --exclude. Sources, destination, --chown and
/// --chmod are expanded; heredoc content is expanded keeping quotes when its delimiter was unquoted.
/// </summary>
public abstract record FileInstruction : Instruction
{
    public required IReadOnlyList<string> Sources { get; init; }
    public IReadOnlyList<InlineSource> InlineSources { get; init; } = Array.Empty<InlineSource>();
    public required string Destination { get; init; }
    public string? Chown { get; init; }
    public string? Chmod { get; init; }
    public bool Link { get; init; }
    public IReadOnlyList<string> Excludes { get; init; } = Array.Empty<string>();

    /// <summary>Whether the arguments were a JSON array (paths with spaces).</summary>
    public bool IsJsonForm { get; init; }

    public override bool IsExpanded => true;

    protected FileInstruction ExpandFiles(WordExpander e) => this with
    {
        Sources = Sources.Select(e.Word).ToList(),
        InlineSources = InlineSources.Select(s => s.Expand ? s with { Data = e.Raw(s.Data) } : s).ToList(),
        Destination = e.Word(Destination),
        Chown = Chown is null ? null : e.Word(Chown),
        Chmod = Chmod is null ? null : e.Word(Chmod),
        Excludes = Excludes.Select(e.Word).ToList(),
    };
}
