using ContainerPS.Engine.Store;

namespace ContainerPS.Engine.Images;

/// <summary>
/// An image as users see it (docker image inspect): identity, names, the runtime config
/// and the layers. Produced by <see cref="ImageStore"/>; immutable snapshot. Listings show
/// one row per name, as `docker images` does: <see cref="Name"/> is the name a row stands
/// for (<c>image with { Name = tag }</c>), and Repository/Tag follow it.
/// </summary>
public sealed record Image
{
    /// <summary>Image ID: the config digest, "sha256:…".</summary>
    public required string Id { get; init; }
    public string ShortId => Id.StartsWith("sha256:", StringComparison.Ordinal) ? Id.Substring(7, 12) : Id;
    /// <summary>Familiar tagged names ("busybox:latest").</summary>
    public required IReadOnlyList<string> RepoTags { get; init; }
    /// <summary>Familiar digested names ("busybox@sha256:…").</summary>
    public required IReadOnlyList<string> RepoDigests { get; init; }
    /// <summary>The familiar name this object was listed under (one of <see cref="RepoTags"/>), or null for the image as a whole.</summary>
    public string? Name { get; init; }
    /// <summary>Repository of <see cref="Name"/> (else of the first tag), or "&lt;none&gt;".</summary>
    public string Repository => DisplayName is { } n ? SplitTag(n).Repo : "<none>";
    /// <summary>Tag of <see cref="Name"/> (else of the first tag), or "&lt;none&gt;".</summary>
    public string Tag => DisplayName is { } n ? SplitTag(n).Tag : "<none>";
    private string? DisplayName => Name ?? (RepoTags.Count > 0 ? RepoTags[0] : null);
    public bool Dangling => RepoTags.Count == 0;
    public required string ManifestDigest { get; init; }
    public required string ManifestMediaType { get; init; }
    public DateTimeOffset? Created { get; init; }
    /// <summary>Unpacked size of all layers in bytes (docker images SIZE).</summary>
    public long Size { get; init; }
    public string Architecture { get; init; } = "";
    public string Os { get; init; } = "";
    public string? Variant { get; init; }
    public string? Author { get; init; }
    public string? Comment { get; init; }
    public required ContainerConfig Config { get; init; }
    public IReadOnlyDictionary<string, string> Labels => Config.Labels ?? (IReadOnlyDictionary<string, string>)new Dictionary<string, string>();
    /// <summary>Uncompressed layer digests (config rootfs.diff_ids), bottom first.</summary>
    public required IReadOnlyList<string> Layers { get; init; }
    public DateTimeOffset Added { get; init; }

    public override string ToString() => DisplayName ?? ShortId;

    private static (string Repo, string Tag) SplitTag(string name)
    {
        var slash = name.LastIndexOf('/');
        var colon = name.LastIndexOf(':');
        return colon > slash ? (name[..colon], name[(colon + 1)..]) : (name, "<none>");
    }

    internal Digest ConfigDigest => Digest.Parse(Id);
}
