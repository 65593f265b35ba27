using ContainerPS.Engine.Errors;
using ContainerPS.Engine.Layers;
using ContainerPS.Engine.References;
using ContainerPS.Engine.Store;

namespace ContainerPS.Engine.Images;

/// <summary>
/// The image side of the engine: names, manifests, configs and layers in one store root.
/// Split by concern into partial files (Load, Save, Import, Remove, Maintenance).
/// Thread-safe for concurrent use from several shells: reads are lock-free over atomically
/// replaced files; every mutation takes the store lock.
/// </summary>
public sealed partial class ImageStore
{
    public ImageStore(StoreLayout layout)
    {
        Layout = layout;
        Content = new ContentStore(layout);
        LayerStore = new LayerStore(layout);
        Index = new ImageIndex(layout);
        ContainersUsing = id => ContainerUsage.Scan(layout.Containers, id);
    }

    /// <summary>The store at $CONTAINERPS_ROOT, or /var/lib/containerps.</summary>
    public static ImageStore Open() => new(StoreLayout.FromEnvironment());

    public StoreLayout Layout { get; }
    public ContentStore Content { get; }
    public LayerStore LayerStore { get; }
    public ImageIndex Index { get; }

    /// <summary>
    /// Who uses an image: returns the container names/IDs whose records reference the image
    /// ID. Set by the container side of the engine; none until then.
    /// </summary>
    public Func<string, IReadOnlyList<string>> ContainersUsing { get; set; }

    public IReadOnlyList<Image> List(ImageFilter? filter = null)
    {
        var images = Index.Load().Select(ToImage).ToList();
        if (filter is null) return Sorted(images);
        IEnumerable<Image> q = images;
        if (filter.Dangling is { } dangling) q = q.Where(i => i.Dangling == dangling);
        foreach (var label in filter.Labels)
        {
            var eq = label.IndexOf('=');
            q = eq < 0
                ? q.Where(i => i.Labels.ContainsKey(label))
                : q.Where(i => i.Labels.TryGetValue(label[..eq], out var v) && v == label[(eq + 1)..]);
        }
        if (filter.Since is { } since)
        {
            var t = Get(since).Created;
            q = q.Where(i => i.Created > t);
        }
        if (filter.Before is { } before)
        {
            var t = Get(before).Created;
            q = q.Where(i => i.Created < t);
        }
        return Sorted(q);
    }

    private static IReadOnlyList<Image> Sorted(IEnumerable<Image> images) =>
        images.OrderByDescending(i => i.Created ?? DateTimeOffset.MinValue).ThenBy(i => i.Id, StringComparer.Ordinal).ToList();

    /// <summary>
    /// Finds an image by name ("busybox", "busybox:1", "repo@sha256:…"), full ID
    /// ("sha256:…") or unique ID prefix, in Docker's order: name first, then ID.
    /// </summary>
    public Image Get(string nameOrId) => ToImage(Resolve(Index.Load(), nameOrId));

    public bool TryGet(string nameOrId, out Image? image)
    {
        try
        {
            image = Get(nameOrId);
            return true;
        }
        catch (NotFoundException)
        {
            image = null;
            return false;
        }
    }

    internal static ImageRecord Resolve(IReadOnlyList<ImageRecord> records, string nameOrId)
    {
        if (string.IsNullOrWhiteSpace(nameOrId))
            throw new InvalidArgumentException("InvalidReference", "an image name or ID is required", nameOrId);
        var byName = FindByName(records, nameOrId);
        if (byName is not null) return byName;
        var byId = FindById(records, nameOrId);
        if (byId is not null) return byId;
        // Not found: say why in Docker's words, after checking the string is a valid reference at all.
        if (!LooksLikeId(nameOrId)) ImageReference.Parse(nameOrId);
        throw new NotFoundException("ImageNotFound", $"No such image: {nameOrId}", nameOrId);
    }

    internal static ImageRecord? FindByName(IReadOnlyList<ImageRecord> records, string name)
    {
        if (!ImageReference.TryParse(name, out var reference) || reference is null) return null;
        if (reference.Digest is { } digest)
        {
            var repo = reference.Repository;
            return records.FirstOrDefault(r => r.Digests.Contains($"{repo}@{digest}")) ??
                   records.FirstOrDefault(r => r.Manifest == digest && (r.Names.Any(n => RepositoryOf(n) == repo) || r.Digests.Any(n => RepositoryOf(n) == repo)));
        }
        var full = reference.WithDefaultTag().ToString();
        return records.FirstOrDefault(r => r.Names.Contains(full));
    }

    internal static ImageRecord? FindById(IReadOnlyList<ImageRecord> records, string id)
    {
        var hex = id.StartsWith("sha256:", StringComparison.Ordinal) ? id[7..] : id;
        if (!LooksLikeId(hex)) return null;
        var matches = records.Where(r => r.Config.Hex.StartsWith(hex, StringComparison.Ordinal)).ToList();
        if (matches.Count > 1)
            throw new ConflictException("AmbiguousImageId", $"image ID prefix \"{id}\" is ambiguous: it matches {matches.Count} images", id, ErrorKind.InvalidArgument);
        return matches.Count == 1 ? matches[0] : null;
    }

    internal static bool LooksLikeId(string s)
    {
        var hex = s.StartsWith("sha256:", StringComparison.Ordinal) ? s[7..] : s;
        return hex.Length is > 0 and <= 64 && hex.All(c => c is (>= '0' and <= '9') or (>= 'a' and <= 'f'));
    }

    internal static string RepositoryOf(string fullName)
    {
        var at = fullName.IndexOf('@');
        if (at >= 0) return fullName[..at];
        var slash = fullName.LastIndexOf('/');
        var colon = fullName.LastIndexOf(':');
        return colon > slash ? fullName[..colon] : fullName;
    }

    internal ImageConfigFile ReadConfig(Digest config) =>
        ImageJson.Deserialize<ImageConfigFile>(Content.ReadAllBytes(config), $"image config {config}");

    internal Manifest ReadManifest(Digest manifest) =>
        ImageJson.Deserialize<Manifest>(Content.ReadAllBytes(manifest), $"manifest {manifest}");

    internal Image ToImage(ImageRecord record)
    {
        var config = ReadConfig(record.Config);
        long size = 0;
        foreach (var chain in ChainId.For(config.RootFs.DiffIds))
            if (LayerStore.Exists(chain)) size += LayerStore.Get(chain).Size;
        return new Image
        {
            Id = record.Config.ToString(),
            RepoTags = record.Names.Select(Familiar).ToList(),
            RepoDigests = record.Digests.Select(Familiar).ToList(),
            ManifestDigest = record.Manifest.ToString(),
            ManifestMediaType = record.ManifestMediaType,
            Created = config.Created,
            Size = size,
            Architecture = config.Architecture,
            Os = config.Os,
            Variant = config.Variant,
            Author = config.Author,
            Comment = config.Comment,
            Config = config.Config ?? new ContainerConfig(),
            Layers = config.RootFs.DiffIds.Select(d => d.ToString()).ToList(),
            Added = record.Added,
        };
    }

    internal static string Familiar(string fullName) =>
        ImageReference.TryParse(fullName, out var r) && r is not null ? r.FamiliarString : fullName;

    /// <summary>
    /// Publishes an image: adds (or finds) the record for its manifest and moves each name
    /// onto it, as `docker tag`/`docker load` do — a name taken from another image leaves
    /// that image with one name less (dangling if it was the last). Caller holds the lock.
    /// </summary>
    internal ImageRecord Publish(StoreLock held, Digest manifest, string manifestMediaType, Digest config, IEnumerable<string> fullNames, IEnumerable<string>? repoDigests = null)
    {
        return Index.Update(held, records =>
        {
            var record = records.FirstOrDefault(r => r.Manifest == manifest);
            if (record is null)
            {
                record = new ImageRecord { Manifest = manifest, ManifestMediaType = manifestMediaType, Config = config, Added = DateTimeOffset.UtcNow };
                records.Add(record);
            }
            foreach (var name in fullNames)
            {
                foreach (var other in records)
                    if (!ReferenceEquals(other, record)) other.Names.Remove(name);
                if (!record.Names.Contains(name)) record.Names.Add(name);
            }
            foreach (var d in repoDigests ?? Array.Empty<string>())
                if (!record.Digests.Contains(d)) record.Digests.Add(d);
            // An older record with the same config and no names is superseded by this one.
            records.RemoveAll(r => !ReferenceEquals(r, record) && r.Config == config && r.Names.Count == 0 && r.Digests.Count == 0);
            return record;
        });
    }

    /// <summary>Adds a name to an existing image (docker tag).</summary>
    public Image Tag(string source, string target)
    {
        var reference = ImageReference.Parse(target);
        if (reference.Digest is not null)
            throw new InvalidArgumentException("InvalidTag", $"refusing to create a tag with a digest reference: \"{target}\"", target);
        var full = reference.WithDefaultTag().ToString();
        using var held = StoreLock.Acquire(Layout);
        var record = Resolve(Index.Load(), source);
        var published = Publish(held, record.Manifest, record.ManifestMediaType, record.Config, new[] { full });
        return ToImage(published);
    }

    /// <summary>Removes one name (docker rmi of a tag that is not the last, or Remove-ImageTag).</summary>
    public ImageDeleteResult Untag(string reference)
    {
        var parsed = ImageReference.Parse(reference);
        var full = parsed.WithDefaultTag().ToString();
        using var held = StoreLock.Acquire(Layout);
        return Index.Update(held, records =>
        {
            var record = records.FirstOrDefault(r => r.Names.Contains(full) || r.Digests.Contains(full))
                ?? throw new NotFoundException("ImageNotFound", $"No such image: {reference}", reference);
            record.Names.Remove(full);
            record.Digests.Remove(full);
            return ImageDeleteResult.Untagged(parsed.WithDefaultTag().FamiliarString);
        });
    }
}
