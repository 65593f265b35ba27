using ContainerPS.Engine.Archive;
using ContainerPS.Engine.Containers.Commit;
using ContainerPS.Engine.Errors;
using ContainerPS.Engine.Images;
using ContainerPS.Engine.References;
using ContainerPS.Engine.Store;
using ContainerPS.Runtime.Monitor;
using ContainerPS.Runtime.Spec;

namespace ContainerPS.Engine.Containers;

public sealed partial class ContainerManager
{
    /// <summary>The digest of the empty tar (two zero blocks): Docker adds no layer for a diff with this ID.</summary>
    internal static readonly Digest EmptyLayerDiffId = Digest.Compute(new byte[1024]);

    /// <summary>
    /// docker commit: a new image from the container's changes. Its copy-on-write layer (the overlay
    /// upper directory) becomes one new uncompressed layer with OCI whiteouts, on top of the
    /// container's image; the config is the container's config as Docker records it with
    /// <see cref="CommitOptions.Changes"/> applied, and history gains one entry (created_by: the
    /// container's CMD). A container that changed nothing gets no layer, only the history entry
    /// (empty_layer), as in Docker. A running container is paused while its files are read and
    /// resumed afterwards unless <see cref="CommitOptions.Pause"/> is false; a paused one stays paused.
    /// With $SOURCE_DATE_EPOCH set, file times after it are clamped to it in the layer.
    /// </summary>
    /// <returns>The new image (named <see cref="CommitOptions.Reference"/> when given).</returns>
    /// <exception cref="NotFoundException">"ContainerNotFound"; "ImageNotFound" when the container's image is gone from the store with its layers.</exception>
    /// <exception cref="InvalidArgumentException">"InvalidReference"/"InvalidTag" (the name), "InvalidChange" (a change), "InvalidSourceDateEpoch" — checked before any work.</exception>
    /// <exception cref="ConflictException">"ContainerNotCommittable": the container is dead or being removed.</exception>
    /// <exception cref="ArchiveException">"UnsupportedOverlayFeature", "UnsupportedFileName": the layer cannot represent the container's files.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled; nothing is left in the store.</exception>
    public async Task<Image> CommitAsync(string nameOrId, CommitOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        // Everything the user typed is checked before the container is touched.
        var fullName = options.Reference is null ? null : NormalizeTag(options.Reference);
        var changes = options.Changes ?? Array.Empty<string>();
        ConfigChange.ApplyAll(new ContainerConfig(), changes);
        var epoch = LayerDiffWriter.SourceDateEpochFromEnvironment();

        var record = Resolve(nameOrId);
        var state = ReadState(record.Id);
        if (state.Status is ContainerStatus.Dead or ContainerStatus.Removing)
            throw new ConflictException("ContainerNotCommittable",
                $"You cannot commit container {record.Id} which is {state.Status.ToString().ToLowerInvariant()}", record.Name);

        var pausedHere = false;
        if (options.Pause && state.Status == ContainerStatus.Running && state.Socket is { } socket)
        {
            try
            {
                // Not the caller's token: cancelled between the monitor's pause and its answer, the
                // commit would not know it had paused the container and would leave it paused.
                await MonitorClient.RequestAsync(socket, new MonitorRequest { Op = "pause" }, CancellationToken.None).ConfigureAwait(false);
                pausedHere = true;
            }
            catch (EngineException) when (ReadState(record.Id).Status != ContainerStatus.Running)
            {
                // It stopped (or was paused by someone else) meanwhile: its files hold still anyway.
            }
        }
        Image image;
        try
        {
            image = await CommitFilesAsync(record, fullName, options, changes, epoch, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            if (pausedHere) await TryResumeAsync(record.Id, state.Socket!).ConfigureAwait(false);
            throw;
        }
        if (pausedHere && !await TryResumeAsync(record.Id, state.Socket!).ConfigureAwait(false))
        {
            throw new ConflictException("ContainerResumeFailed",
                $"image {image.ShortId} was committed, but container {record.Name} could not be resumed: resume it with Resume-Container", record.Name, ErrorKind.Internal);
        }
        return image;
    }

    private async Task<Image> CommitFilesAsync(ContainerRecord record, string? fullName, CommitOptions options, string[] changes, DateTimeOffset? epoch, CancellationToken ct)
    {
        var imageId = Digest.Parse(record.ImageId);
        var baseConfig = Images.ReadConfig(imageId);
        var baseLayers = Images.LayerDescriptors(imageId, baseConfig)
            ?? throw new NotFoundException("ImageNotFound",
                $"the image of container {record.Name} ({imageId.Short}) is no longer in the store with its layers; it cannot be committed", record.ImageId);
        var containerConfig = CommitConfig.ContainerConfigOf(baseConfig.Config, record.Options, ResolvedEnvironment(record.Id));
        var config = CommitConfig.Build(baseConfig.Config, record.Options, ResolvedEnvironment(record.Id), changes);

        using var lease = Lease.Begin(Layout);
        var newBlobs = new List<Digest>();
        var newChains = new List<Digest>();
        try
        {
            var layer = await Images.WriteDiffBlobAsync(System.IO.Path.Combine(DirOf(record.Id), "diff"), epoch, newBlobs, ct).ConfigureAwait(false);
            var empty = layer.Digest == EmptyLayerDiffId;

            var now = DateTimeOffset.UtcNow;
            var author = string.IsNullOrEmpty(options.Author) ? baseConfig.Author : options.Author;
            var history = new List<HistoryEntry>(baseConfig.History ?? new List<HistoryEntry>())
            {
                new()
                {
                    Created = now,
                    CreatedBy = CommitConfig.CreatedBy(containerConfig),
                    Author = author,
                    Comment = string.IsNullOrEmpty(options.Message) ? null : options.Message,
                    EmptyLayer = empty ? true : null,
                },
            };
            var diffIds = new List<Digest>(baseConfig.RootFs.DiffIds);
            var layers = baseLayers.ToList();
            if (!empty)
            {
                diffIds.Add(layer.Digest);
                layers.Add(new Descriptor { MediaType = MediaTypes.OciLayer, Digest = layer.Digest, Size = layer.Size });
            }
            var configFile = new ImageConfigFile
            {
                Created = now,
                Author = author,
                Architecture = baseConfig.Architecture,
                Variant = baseConfig.Variant,
                Os = baseConfig.Os,
                Config = config,
                RootFs = new RootFs { DiffIds = diffIds },
                History = history,
            };
            var configBlob = await Images.Content.WriteAsync(ImageJson.Serialize(configFile), null, ct).ConfigureAwait(false);
            if (configBlob.Created) newBlobs.Add(configBlob.Digest);
            var manifest = new Manifest
            {
                MediaType = MediaTypes.OciManifest,
                Config = new Descriptor { MediaType = MediaTypes.OciConfig, Digest = configBlob.Digest, Size = configBlob.Size },
                Layers = layers,
            };
            var manifestBlob = await Images.Content.WriteAsync(ImageJson.Serialize(manifest), null, ct).ConfigureAwait(false);
            if (manifestBlob.Created) newBlobs.Add(manifestBlob.Digest);

            await Images.UnpackLayersAsync(manifestBlob.Digest, configBlob.Digest, newChains, null, "commit:" + record.Id[..12], ct).ConfigureAwait(false);
            ImageRecord published;
            using (var held = StoreLock.Acquire(Layout, ct))
                published = Images.Publish(held, manifestBlob.Digest, MediaTypes.OciManifest, configBlob.Digest,
                    fullName is null ? Array.Empty<string>() : new[] { fullName });

            // The empty tar was stored only to learn its digest: drop it unless something uses it.
            if (empty && layer.Created) Images.Rollback(new[] { layer.Digest }, Array.Empty<Digest>());
            return Images.ToImage(published);
        }
        catch
        {
            Images.Rollback(newBlobs, newChains);
            throw;
        }
    }

    /// <summary>
    /// What a "-e NAME" option (no value) resolved to when the container was created: the value in
    /// the bundle's process environment, or null when the variable was unset.
    /// </summary>
    private Func<string, string?> ResolvedEnvironment(string id)
    {
        List<string>? env = null;
        return name =>
        {
            if (env is null)
            {
                try { env = SpecJson.Load(System.IO.Path.Combine(DirOf(id), "bundle", SpecJson.FileName)).Process?.Env?.ToList() ?? new(); }
                catch (Exception e) when (e is IOException or RuntimeSpecException or UnauthorizedAccessException) { env = new(); }
            }
            var entry = env.LastOrDefault(e => e.StartsWith(name + "=", StringComparison.Ordinal));
            return entry?[(name.Length + 1)..];
        };
    }

    private async Task<bool> TryResumeAsync(string id, string socket)
    {
        try
        {
            // Not the caller's token: a cancelled commit must still leave the container running.
            await MonitorClient.RequestAsync(socket, new MonitorRequest { Op = "resume" }, CancellationToken.None).ConfigureAwait(false);
            return true;
        }
        catch (EngineException)
        {
            // Stopped or killed while paused: nothing is left to resume.
            return ReadState(id).Status != ContainerStatus.Paused;
        }
    }

    private static string NormalizeTag(string reference)
    {
        var parsed = ImageReference.Parse(reference);
        if (parsed.Digest is not null)
            throw new InvalidArgumentException("InvalidTag", $"refusing to create a tag with a digest reference: \"{reference}\"", reference);
        return parsed.WithDefaultTag().ToString();
    }
}
