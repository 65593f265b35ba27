namespace ContainerPS.Runtime.Spawning;

/// <summary>
/// What to spawn: an executable path, argv and envp, and which of the parent's descriptors
/// become which descriptors of the child (everything else marked close-on-exec stays shut).
/// </summary>
public sealed class SpawnRequest
{
    public required string Path { get; init; }
    public required IReadOnlyList<string> Arguments { get; init; }
    public IReadOnlyList<string> Environment { get; init; } = Array.Empty<string>();
    /// <summary>child fd ← parent fd, applied in order (dup2 clears close-on-exec on the target).</summary>
    public IReadOnlyList<(int ChildFd, int ParentFd)> Descriptors { get; init; } = Array.Empty<(int, int)>();
    /// <summary>Start the child in a new session (setsid): detached from the caller's terminal and process group.</summary>
    public bool NewSession { get; init; }
    public string? WorkingDirectory { get; init; }
}
