namespace ContainerPS.Engine.Containers;

/// <summary>docker exec options.</summary>
public sealed class ExecOptions
{
    public required IReadOnlyList<string> Command { get; init; }
    /// <summary>"uid", "uid:gid", "name" or "name:group" in the container; the container's user when null.</summary>
    public string? User { get; init; }
    /// <summary>Absolute directory in the container; the container's working directory when null.</summary>
    public string? WorkingDir { get; init; }
    /// <summary>Set on top of the container's environment (a null value takes the caller's variable).</summary>
    public IDictionary<string, string?> Environment { get; init; } = new Dictionary<string, string?>(StringComparer.Ordinal);
    public bool Tty { get; init; }
    /// <summary>Feed <see cref="AttachStreams.Stdin"/> to the process.</summary>
    public bool Interactive { get; init; }
}
