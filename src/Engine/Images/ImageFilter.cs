namespace ContainerPS.Engine.Images;

/// <summary>Filters of `docker images --filter` that need the store (name wildcards are the caller's).</summary>
public sealed class ImageFilter
{
    /// <summary>true: only images without names; false: only named ones; null: both.</summary>
    public bool? Dangling { get; init; }
    /// <summary>"key" (label present) or "key=value" (label equals); all must match.</summary>
    public IReadOnlyList<string> Labels { get; init; } = Array.Empty<string>();
    /// <summary>Only images created after this image (name or ID).</summary>
    public string? Since { get; init; }
    /// <summary>Only images created before this image (name or ID).</summary>
    public string? Before { get; init; }
}
