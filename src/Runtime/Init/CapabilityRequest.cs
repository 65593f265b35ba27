namespace ContainerPS.Runtime.Init;

/// <summary>process.capabilities: capability names ("CAP_CHOWN") per set.</summary>
public sealed record CapabilityRequest
{
    public IReadOnlyList<string> Bounding { get; init; } = [];
    public IReadOnlyList<string> Effective { get; init; } = [];
    public IReadOnlyList<string> Inheritable { get; init; } = [];
    public IReadOnlyList<string> Permitted { get; init; } = [];
    public IReadOnlyList<string> Ambient { get; init; } = [];
}
