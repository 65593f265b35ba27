namespace ContainerPS.Engine.Images;

/// <summary>One row of `docker history`: newest first; layers carry their size.</summary>
public sealed class ImageHistoryItem
{
    /// <summary>The image ID on the top row, "&lt;missing&gt;" below it (as Docker shows for non-local parents).</summary>
    public required string Id { get; init; }
    public DateTimeOffset? Created { get; init; }
    public string CreatedBy { get; init; } = "";
    public long Size { get; init; }
    public string? Comment { get; init; }
    public bool EmptyLayer { get; init; }
    public IReadOnlyList<string> Tags { get; init; } = Array.Empty<string>();
    /// <summary>The diff ID of the layer this step added, if any.</summary>
    public string? LayerDigest { get; init; }
}
