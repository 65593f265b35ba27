using ContainerPS.Engine.Store;

namespace ContainerPS.Engine.Archive;

/// <summary>
/// What an image archive held after one streaming pass: every file stored as a blob (path →
/// blob), links between paths, and the small index documents kept in memory.
/// </summary>
public sealed class ArchiveContents
{
    public required string ArchivePath { get; init; }
    public Dictionary<string, BlobInfo> Files { get; } = new(StringComparer.Ordinal);
    /// <summary>Symlink/hardlink entries: path → target path (already resolved to an archive path).</summary>
    public Dictionary<string, string> Links { get; } = new(StringComparer.Ordinal);
    /// <summary>manifest.json, index.json, oci-layout, repositories.</summary>
    public Dictionary<string, byte[]> Documents { get; } = new(StringComparer.Ordinal);

    /// <summary>The blob holding the file at <paramref name="path"/>, following links.</summary>
    public BlobInfo? Find(string path)
    {
        path = ArchivePaths.Normalize(path);
        for (var hops = 0; hops < 16; hops++)
        {
            if (Files.TryGetValue(path, out var blob)) return blob;
            if (!Links.TryGetValue(path, out var target)) return null;
            path = target;
        }
        return null;
    }
}
