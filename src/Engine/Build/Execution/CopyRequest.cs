namespace ContainerPS.Engine.Build.Execution;

/// <summary>
/// A COPY or ADD after variable expansion: sources (context paths, wildcards, or for ADD http(s)
/// URLs), the destination as written (relative to WORKDIR; a trailing '/' makes it a directory),
/// and the flags.
/// </summary>
public sealed record CopyRequest(IReadOnlyList<string> Sources, string Destination)
{
    /// <summary>ADD: local tar archives are extracted, URLs downloaded.</summary>
    public bool IsAdd { get; init; }

    /// <summary>--from: the state of an earlier stage, or null for the context.</summary>
    public BuildState? From { get; init; }

    /// <summary>--from as written (for the cache key and history), when <see cref="From"/> is set.</summary>
    public string? FromName { get; init; }

    /// <summary>--chown=user[:group] (names resolved in the image's /etc/passwd and /etc/group).</summary>
    public string? Chown { get; init; }

    /// <summary>Sources that are not context paths: downloaded URLs and heredoc files (prepared by the caller).</summary>
    public IReadOnlySet<string> Prepared { get; init; } = new HashSet<string>();

    /// <summary>--chmod=octal.</summary>
    public string? Chmod { get; init; }
}
