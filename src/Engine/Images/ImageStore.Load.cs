using System.Text.Json;
using ContainerPS.Engine.Archive;
using ContainerPS.Engine.Errors;
using ContainerPS.Engine.Layers;
using ContainerPS.Engine.Progress;
using ContainerPS.Engine.References;
using ContainerPS.Engine.Store;

namespace ContainerPS.Engine.Images;

public sealed partial class ImageStore
{
    private sealed record PendingImage(Digest Manifest, string ManifestMediaType, Digest Config, List<string> Names);

    /// <summary>
    /// docker load: reads a docker-archive (one or many images, any number of tags) or an OCI
    /// image layout tarball, plain or compressed, unpacks the layers and publishes the names.
    /// All or nothing: on any error, the store is left as it was.
    /// </summary>
    public async Task<IReadOnlyList<Image>> LoadAsync(string path, IProgress<ProgressReport>? progress, CancellationToken cancellationToken)
    {
        await using var file = OpenInput(path);
        return await LoadAsync(file, path, progress, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<Image>> LoadAsync(Stream archive, string archiveName, IProgress<ProgressReport>? progress, CancellationToken cancellationToken)
    {
        using var lease = Lease.Begin(Layout);
        var newBlobs = new List<Digest>();
        var newChains = new List<Digest>();
        var parentId = "load:" + archiveName;
        try
        {
            var contents = await new ImageArchiveReader(Content).ReadAsync(archive, archiveName, progress, parentId, cancellationToken).ConfigureAwait(false);
            newBlobs.AddRange(contents.Files.Values.Where(b => b.Created).Select(b => b.Digest));

            var pending = contents.Documents.ContainsKey("index.json") && contents.Documents.ContainsKey("oci-layout")
                ? ReadOciLayout(contents)
                : await ReadDockerArchiveAsync(contents, newBlobs, cancellationToken).ConfigureAwait(false);
            if (pending.Count == 0)
                throw new ArchiveException("InvalidArchive", $"{archiveName}: no images found (neither manifest.json nor an OCI index.json with manifests)", archiveName);

            foreach (var image in pending)
                await UnpackLayersAsync(image.Manifest, image.Config, newChains, progress, parentId, cancellationToken).ConfigureAwait(false);

            var published = new List<ImageRecord>();
            using (var held = StoreLock.Acquire(Layout, cancellationToken))
            {
                foreach (var image in pending)
                    published.Add(Publish(held, image.Manifest, image.ManifestMediaType, image.Config, image.Names));
            }
            progress?.Report(new ProgressReport(parentId, "Loading " + Path.GetFileName(archiveName), "done", Completed: true));
            return published.Select(ToImage).ToList();
        }
        catch
        {
            Rollback(newBlobs, newChains);
            throw;
        }
    }

    internal static Stream OpenInput(string path)
    {
        if (path == "-") return Console.OpenStandardInput();
        try
        {
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.SequentialScan | FileOptions.Asynchronous);
        }
        catch (FileNotFoundException) { throw new NotFoundException("FileNotFound", $"{path}: no such file", path); }
        catch (DirectoryNotFoundException) { throw new NotFoundException("FileNotFound", $"{path}: no such file or directory", path); }
    }

    private async Task<List<PendingImage>> ReadDockerArchiveAsync(ArchiveContents contents, List<Digest> newBlobs, CancellationToken ct)
    {
        var name = contents.ArchivePath;
        if (!contents.Documents.TryGetValue("manifest.json", out var manifestJson))
            throw new ArchiveException("InvalidArchive", $"{name}: no manifest.json: not a docker-archive (docker save) or OCI archive", name);
        List<DockerArchiveEntry> entries;
        try { entries = JsonSerializer.Deserialize<List<DockerArchiveEntry>>(manifestJson) ?? new(); }
        catch (JsonException ex) { throw new ArchiveException("InvalidArchive", $"{name}: manifest.json: {ex.Message}", name, "manifest.json", ex); }

        var result = new List<PendingImage>();
        foreach (var entry in entries)
        {
            var config = contents.Find(entry.Config)
                ?? throw new ArchiveException("InvalidArchive", $"{name}: manifest.json names config \"{entry.Config}\" which is not in the archive", name, entry.Config);
            var configFile = ReadConfig(config.Digest);
            if (configFile.RootFs.DiffIds.Count != entry.Layers.Count)
                throw new ArchiveException("InvalidArchive", $"{name}: image {config.Digest.Hex[..12]} lists {entry.Layers.Count} layers but its config has {configFile.RootFs.DiffIds.Count} diff_ids", name, entry.Config);
            var layers = new List<(string, long, Digest)>();
            foreach (var layerPath in entry.Layers)
            {
                var blob = contents.Find(layerPath)
                    ?? throw new ArchiveException("InvalidArchive", $"{name}: layer \"{layerPath}\" is not in the archive", name, layerPath);
                layers.Add((LayerMediaType(blob.Digest, docker: true), blob.Size, blob.Digest));
            }
            var manifestBytes = DockerSchema2.Manifest(config.Digest, config.Size, layers);
            var manifest = await Content.WriteAsync(manifestBytes, null, ct).ConfigureAwait(false);
            if (manifest.Created) newBlobs.Add(manifest.Digest);
            var names = (entry.RepoTags ?? new()).Select(t => NormalizeName(t, name)).ToList();
            result.Add(new PendingImage(manifest.Digest, MediaTypes.DockerManifest, config.Digest, names));
        }
        return result;
    }

    private List<PendingImage> ReadOciLayout(ArchiveContents contents)
    {
        var name = contents.ArchivePath;
        var index = ImageJson.Deserialize<ManifestIndex>(contents.Documents["index.json"], $"{name}: index.json");
        // Docker ≥25 writes both layouts; its manifest.json carries the tags most reliably.
        var tagsByConfig = new Dictionary<Digest, List<string>>();
        if (contents.Documents.TryGetValue("manifest.json", out var legacy))
        {
            try
            {
                foreach (var e in JsonSerializer.Deserialize<List<DockerArchiveEntry>>(legacy) ?? new())
                    if (contents.Find(e.Config) is { } c && e.RepoTags is { Count: > 0 })
                        tagsByConfig[c.Digest] = e.RepoTags;
            }
            catch (JsonException) { }
        }
        var result = new List<PendingImage>();
        foreach (var desc in index.Manifests)
        {
            var chosen = ChooseManifest(desc, name);
            if (chosen is null) continue;
            if (!Content.Exists(chosen.Digest))
                throw new ArchiveException("InvalidArchive", $"{name}: index.json names manifest {chosen.Digest} which is not in the archive", name, "blobs/sha256/" + chosen.Digest.Hex);
            var manifest = ReadManifest(chosen.Digest);
            foreach (var blob in manifest.Layers.Select(l => l.Digest).Append(manifest.Config.Digest))
                if (!Content.Exists(blob))
                    throw new ArchiveException("InvalidArchive", $"{name}: manifest {chosen.Digest.Hex[..12]} needs blob {blob} which is not in the archive", name, "blobs/sha256/" + blob.Hex);
            var names = new List<string>();
            if (tagsByConfig.TryGetValue(manifest.Config.Digest, out var tags))
                names.AddRange(tags.Select(t => NormalizeName(t, name)));
            else if (OciName(desc) is { } ociName)
                names.Add(NormalizeName(ociName, name));
            var mediaType = chosen.MediaType.Length > 0 ? chosen.MediaType : manifest.MediaType ?? MediaTypes.OciManifest;
            // One index entry per name: several entries may point at the same manifest.
            if (result.FirstOrDefault(p => p.Manifest == chosen.Digest) is { } same)
                same.Names.AddRange(names.Where(n => !same.Names.Contains(n)));
            else
                result.Add(new PendingImage(chosen.Digest, mediaType, manifest.Config.Digest, names));
        }
        return result;
    }

    /// <summary>Follows nested indexes (multi-platform images) to the manifest for this machine's platform.</summary>
    private Descriptor? ChooseManifest(Descriptor desc, string archive)
    {
        for (var depth = 0; depth < 4; depth++)
        {
            if (MediaTypes.IsManifest(desc.MediaType) || string.IsNullOrEmpty(desc.MediaType)) return desc;
            if (!MediaTypes.IsIndex(desc.MediaType)) return null; // attestations and other artifacts
            if (!Content.Exists(desc.Digest)) return null;
            var nested = ImageJson.Deserialize<ManifestIndex>(Content.ReadAllBytes(desc.Digest), $"{archive}: index {desc.Digest}");
            var current = Platform.Current;
            desc = nested.Manifests.FirstOrDefault(m => m.Platform is { } p && p.Os == current.Os && p.Architecture == current.Architecture)
                ?? nested.Manifests.FirstOrDefault(m => m.Platform is null && MediaTypes.IsManifest(m.MediaType))!;
            if (desc is null) return null;
        }
        return null;
    }

    private static string? OciName(Descriptor desc)
    {
        if (desc.Annotations is null) return null;
        if (desc.Annotations.TryGetValue("io.containerd.image.name", out var full) && !string.IsNullOrEmpty(full)) return full;
        // org.opencontainers.image.ref.name is often a bare tag ("latest"); only a name with
        // a repository part ("busybox:latest", "example.com/app") names an image.
        if (desc.Annotations.TryGetValue("org.opencontainers.image.ref.name", out var refName) &&
            (refName.Contains(':') || refName.Contains('/')) && ImageReference.TryParse(refName, out _))
            return refName;
        return null;
    }

    private static string NormalizeName(string name, string archive)
    {
        if (!ImageReference.TryParse(name, out var r) || r is null)
            throw new ArchiveException("InvalidArchive", $"{archive}: invalid image name \"{name}\" in the archive", archive, name);
        return r.Digest is null ? r.WithDefaultTag().ToString() : r.ToString();
    }

    /// <summary>Media type for a stored layer blob, by sniffing its compression.</summary>
    internal string LayerMediaType(Digest blob, bool docker)
    {
        Span<byte> head = stackalloc byte[8];
        int n;
        using (var s = Content.OpenRead(blob)) n = s.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        return Compression.Detect(head[..n]) switch
        {
            CompressionKind.Gzip => docker ? MediaTypes.DockerLayerGzip : MediaTypes.OciLayerGzip,
            CompressionKind.Zstd => MediaTypes.OciLayerZstd,
            // Docker schema 2 has no uncompressed layer type of its own; Docker and
            // containers/image use the .tar media type for uncompressed layers in archives.
            _ => docker ? MediaTypes.DockerLayer : MediaTypes.OciLayer,
        };
    }

    /// <summary>Unpacks every layer of an image (bottom up) into the layer store, verifying diff IDs.</summary>
    internal async Task UnpackLayersAsync(Digest manifestDigest, Digest configDigest, List<Digest> newChains, IProgress<ProgressReport>? progress, string parentId, CancellationToken ct)
    {
        var manifest = ReadManifest(manifestDigest);
        var config = ReadConfig(configDigest);
        var diffIds = config.RootFs.DiffIds;
        if (diffIds.Count != manifest.Layers.Count)
            throw new InvalidArgumentException("InvalidImage", $"image {configDigest.Hex[..12]}: manifest has {manifest.Layers.Count} layers but the config lists {diffIds.Count} diff_ids", configDigest.ToString());
        Digest? parent = null;
        for (var i = 0; i < diffIds.Count; i++)
        {
            var chain = ChainId.Next(parent, diffIds[i]);
            var blob = manifest.Layers[i].Digest;
            var id = "layer:" + diffIds[i].Hex[..12];
            progress?.Report(new ProgressReport(id, "Layer " + diffIds[i].Hex[..12], "Extracting", 0, manifest.Layers[i].Size, ParentId: parentId));
            var existed = LayerStore.Exists(chain);
            await LayerStore.EnsureUnpackedAsync(chain, diffIds[i], parent, () => Content.OpenRead(blob), $"layer {blob}", ct).ConfigureAwait(false);
            if (!existed) newChains.Add(chain);
            progress?.Report(new ProgressReport(id, "Layer " + diffIds[i].Hex[..12], existed ? "Already exists" : "Extracted", manifest.Layers[i].Size, manifest.Layers[i].Size, Completed: true, ParentId: parentId));
            parent = chain;
        }
    }
}
