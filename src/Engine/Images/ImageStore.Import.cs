using ContainerPS.Engine.Archive;
using ContainerPS.Engine.Layers;
using ContainerPS.Engine.Progress;
using ContainerPS.Engine.References;
using ContainerPS.Engine.Store;

namespace ContainerPS.Engine.Images;

public sealed partial class ImageStore
{
    /// <summary>
    /// docker import: a root file system tarball (plain, gzip, bzip2, xz or zstd; "-" reads
    /// standard input) becomes a one-layer image. <paramref name="changes"/> are applied to
    /// its config; <paramref name="reference"/> names it (else it is dangling).
    /// </summary>
    public async Task<Image> ImportAsync(string path, string? reference, IReadOnlyList<string> changes, string? message, IProgress<ProgressReport>? progress, CancellationToken cancellationToken)
    {
        // Validate everything the user typed before any work, so a typo costs nothing.
        var name = reference is null ? null : NormalizeName(reference);
        var runtimeConfig = new ContainerConfig();
        ConfigChange.ApplyAll(runtimeConfig, changes);
        await using var input = OpenInput(path);
        return await ImportAsync(input, path, name, runtimeConfig, message, progress, cancellationToken).ConfigureAwait(false);
    }

    private static string NormalizeName(string reference)
    {
        var r = ImageReference.Parse(reference);
        if (r.Digest is not null)
            throw new Errors.InvalidArgumentException("InvalidTag", $"refusing to create a tag with a digest reference: \"{reference}\"", reference);
        return r.WithDefaultTag().ToString();
    }

    private async Task<Image> ImportAsync(Stream input, string source, string? fullName, ContainerConfig runtimeConfig, string? message, IProgress<ProgressReport>? progress, CancellationToken ct)
    {
        using var lease = Lease.Begin(Layout);
        var newBlobs = new List<Digest>();
        var newChains = new List<Digest>();
        var progressId = "import:" + source;
        try
        {
            progress?.Report(new ProgressReport(progressId, "Importing " + source, "Reading"));
            BlobInfo layer;
            await using (var plain = Compression.OpenDecompressed(input, out _))
                layer = await Content.WriteAsync(plain, null, null, ct).ConfigureAwait(false);
            if (layer.Created) newBlobs.Add(layer.Digest);

            var now = DateTimeOffset.UtcNow;
            var config = new ImageConfigFile
            {
                Created = now,
                Architecture = Platform.GoArchitecture,
                Os = "linux",
                Config = runtimeConfig,
                Comment = message,
                RootFs = new RootFs { DiffIds = { layer.Digest } },
                History = new() { new HistoryEntry { Created = now, Comment = string.IsNullOrEmpty(message) ? "Imported from " + source : message } },
            };
            var configBlob = await Content.WriteAsync(ImageJson.Serialize(config), null, ct).ConfigureAwait(false);
            if (configBlob.Created) newBlobs.Add(configBlob.Digest);
            var manifest = new Manifest
            {
                MediaType = MediaTypes.OciManifest,
                Config = new Descriptor { MediaType = MediaTypes.OciConfig, Digest = configBlob.Digest, Size = configBlob.Size },
                Layers = { new Descriptor { MediaType = MediaTypes.OciLayer, Digest = layer.Digest, Size = layer.Size } },
            };
            var manifestBlob = await Content.WriteAsync(ImageJson.Serialize(manifest), null, ct).ConfigureAwait(false);
            if (manifestBlob.Created) newBlobs.Add(manifestBlob.Digest);

            await UnpackLayersAsync(manifestBlob.Digest, configBlob.Digest, newChains, progress, progressId, ct).ConfigureAwait(false);
            ImageRecord record;
            using (var held = StoreLock.Acquire(Layout, ct))
                record = Publish(held, manifestBlob.Digest, MediaTypes.OciManifest, configBlob.Digest, fullName is null ? Array.Empty<string>() : new[] { fullName });
            progress?.Report(new ProgressReport(progressId, "Importing " + source, "done", Completed: true));
            return ToImage(record);
        }
        catch
        {
            Rollback(newBlobs, newChains);
            throw;
        }
    }
}
