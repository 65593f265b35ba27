namespace ContainerPS.Engine.Containers;

/// <summary>docker logs options.</summary>
public sealed class LogReadOptions
{
    /// <summary>Keep reading as the container writes, until it stops.</summary>
    public bool Follow { get; init; }
    /// <summary>Only the last N lines (before following).</summary>
    public int? Tail { get; init; }
    public DateTimeOffset? Since { get; init; }
    public DateTimeOffset? Until { get; init; }
    public bool Stdout { get; init; } = true;
    public bool Stderr { get; init; } = true;
}
