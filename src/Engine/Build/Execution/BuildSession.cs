using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using ContainerPS.Engine.Build.Cache;
using ContainerPS.Engine.Build.Context;
using ContainerPS.Engine.Containers;
using ContainerPS.Engine.Errors;
using ContainerPS.Engine.Images;
using ContainerPS.Engine.Layers;
using ContainerPS.Engine.Store;

namespace ContainerPS.Engine.Build.Execution;

/// <summary>
/// One build in progress: the step operations (FROM, metadata, RUN, COPY/ADD, WORKDIR) on
/// <see cref="BuildState"/>s, the cache around them, and what the build created so far — so a
/// failed or cancelled build removes exactly that (blobs, layers, cache records) and leaves the
/// store as it was. Holds a lease for its whole life, so a concurrent GC spares its content.
/// </summary>
public sealed partial class BuildSession : IDisposable
{
    private readonly ContainerManager _containers;
    private readonly Lease _lease;
    private readonly ConcurrentBag<Digest> _newBlobs = new();
    private readonly ConcurrentBag<Digest> _newChains = new();
    private readonly ConcurrentBag<Digest> _newRecords = new();
    private readonly ConcurrentDictionary<string, byte> _liveContainers = new(StringComparer.Ordinal);
    private readonly List<Task> _removals = new();

    public BuildSession(ContainerManager containers, BuildContext context, BuildOptions options)
    {
        _containers = containers;
        Context = context;
        Options = options;
        Cache = new BuildCache(containers.Images);
        Hashes = options.NoCache ? FileHashCache.InMemory() : FileHashCache.Load(Cache.FilesPath);
        Epoch = options.SourceDateEpoch ?? Archive.LayerDiffWriter.SourceDateEpochFromEnvironment();
        _lease = Lease.Begin(containers.Layout);
    }

    public BuildContext Context { get; }
    public BuildOptions Options { get; }
    public BuildCache Cache { get; }
    public FileHashCache Hashes { get; }
    public DateTimeOffset? Epoch { get; }
    internal ImageStore Images => _containers.Images;

    /// <summary>The time recorded for history entries and the image: SOURCE_DATE_EPOCH when set.</summary>
    public DateTimeOffset Now => Epoch ?? DateTimeOffset.UtcNow;

    /// <summary>A cache key: SHA-256 over the parent state's key and the parts that define the step.</summary>
    public static Digest Key(Digest parent, params string[] parts)
    {
        var text = new StringBuilder(parent.ToString());
        foreach (var part in parts) text.Append('\0').Append(part);
        return Digest.FromHash(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    /// <summary>
    /// Runs one step through the cache: a hit returns the recorded state (unless -NoCache); a miss
    /// runs <paramref name="execute"/> and records what it produced.
    /// </summary>
    public async Task<(BuildState State, bool Cached)> CachedAsync(Digest key, Func<Digest, Task<BuildState>> execute)
    {
        if (!Options.NoCache && Cache.TryGet(key) is { } record) return (BuildState.FromRecord(record, key), true);
        var state = await execute(key).ConfigureAwait(false);
        Cache.Put(key, state.ToRecord());
        _newRecords.Add(key);
        return (state, false);
    }

    /// <summary>FROM an image in the store (no registry pull here): its config, layers and key.</summary>
    /// <exception cref="NotFoundException">"BaseImageNotFound".</exception>
    public BuildState FromImage(string reference)
    {
        if (!Images.TryGet(reference, out var image) || image is null)
            throw new NotFoundException("BaseImageNotFound",
                $"base image \"{reference}\" is not in the store (no registry pull yet): import or load it first", reference);
        var id = Digest.Parse(image.Id);
        var config = Images.ReadConfig(id);
        var layers = Images.LayerDescriptors(id, config)
            ?? throw new NotFoundException("BaseImageNotFound", $"the layers of base image \"{reference}\" are missing from the store", reference);
        foreach (var chain in ChainId.For(config.RootFs.DiffIds))
            if (!Images.LayerStore.Exists(chain))
                throw new NotFoundException("BaseImageNotFound", $"the layers of base image \"{reference}\" are not unpacked in the store", reference);
        return new BuildState(config, layers, image.Id, Key(default, "FROM", image.Id));
    }

    /// <summary>FROM scratch: no layers, an empty config.</summary>
    public static BuildState Scratch() =>
        new(new ImageConfigFile { Config = new ContainerConfig(), RootFs = new RootFs(), History = new List<HistoryEntry>() },
            Array.Empty<Descriptor>(), "", Key(default, "FROM", "scratch"));

    /// <summary>A metadata-only step: the config changes, history gains an entry with empty_layer, no layer.</summary>
    public BuildState Metadata(BuildState parent, Digest key, string createdBy, Action<ImageConfigFile> change)
    {
        var config = parent.CloneConfig();
        config.Config ??= new ContainerConfig();
        change(config);
        AddHistory(config, createdBy, emptyLayer: true);
        return new BuildState(config, parent.Layers, parent.BaseImageId, key);
    }

    internal void AddHistory(ImageConfigFile config, string createdBy, bool emptyLayer)
    {
        (config.History ??= new List<HistoryEntry>()).Add(new HistoryEntry
        {
            Created = Now,
            CreatedBy = createdBy,
            Comment = "buildkit.dockerfile.v0",
            EmptyLayer = emptyLayer ? true : null,
        });
    }

    /// <summary>
    /// The state with one more layer: <paramref name="upperOrStaging"/> is written as a layer tar
    /// (whiteouts as OCI ones, times clamped to SOURCE_DATE_EPOCH). A staging directory from
    /// <see cref="LayerStore.NewStaging"/> is adopted as the unpacked layer; any other directory
    /// (a container's upper dir) is unpacked from the stored tar. An empty diff adds no layer.
    /// </summary>
    internal async Task<BuildState> AddLayerAsync(BuildState parent, Digest key, string createdBy, string diffDir, string? staging, Action<ImageConfigFile>? change, CancellationToken ct)
    {
        var blobs = new List<Digest>();
        var blob = await Images.WriteDiffBlobAsync(diffDir, Epoch, blobs, ct).ConfigureAwait(false);
        foreach (var b in blobs) _newBlobs.Add(b);
        var config = parent.CloneConfig();
        config.Config ??= new ContainerConfig();
        change?.Invoke(config);
        if (blob.Digest == ContainerManager.EmptyLayerDiffId)
        {
            AddHistory(config, createdBy, emptyLayer: true);
            return new BuildState(config, parent.Layers, parent.BaseImageId, key);
        }
        var parentChain = parent.Chains.Count > 0 ? parent.Chains[^1] : (Digest?)null;
        var chain = ChainId.Next(parentChain, blob.Digest);
        if (staging is not null)
        {
            if (Images.LayerStore.Adopt(staging, chain, blob.Digest, parentChain, ContentBytes(diffDir))) _newChains.Add(chain);
        }
        else
        {
            var existed = Images.LayerStore.Exists(chain);
            await Images.LayerStore.EnsureUnpackedAsync(chain, blob.Digest, parentChain, () => Images.Content.OpenRead(blob.Digest), $"layer {blob.Digest}", ct).ConfigureAwait(false);
            if (!existed) _newChains.Add(chain);
        }
        config.RootFs.DiffIds.Add(blob.Digest);
        AddHistory(config, createdBy, emptyLayer: false);
        var layers = parent.Layers.Append(new Descriptor { MediaType = MediaTypes.OciLayer, Digest = blob.Digest, Size = blob.Size }).ToList();
        return new BuildState(config, layers, parent.BaseImageId, key);
    }

    /// <summary>The bytes of the regular files under a staging tree: the layer's size as an unpacked layer reports it.</summary>
    private static long ContentBytes(string dir) =>
        new DirectoryInfo(dir).EnumerateFiles("*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 })
            .Where(f => f.LinkTarget is null).Sum(f => f.Length);

    /// <summary>
    /// Writes the final state as an image: config (created = SOURCE_DATE_EPOCH or now, -Label
    /// labels added), OCI manifest, and the names — published together under the store lock.
    /// </summary>
    public async Task<Image> CommitAsync(BuildState final, IEnumerable<string> fullNames, CancellationToken ct)
    {
        var config = final.CloneConfig();
        config.Config ??= new ContainerConfig();
        if (Options.Labels.Count > 0)
        {
            config.Config.Labels ??= new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var (k, v) in Options.Labels) config.Config.Labels[k] = v;
        }
        // The time of the last step (from the cache when it was cached), as BuildKit does: a fully
        // cached rebuild gives the same image ID; SOURCE_DATE_EPOCH wins when set.
        config.Created = Epoch ?? config.History?.LastOrDefault()?.Created ?? DateTimeOffset.UtcNow;
        var configBlob = await Images.Content.WriteAsync(ImageJson.Serialize(config), null, ct).ConfigureAwait(false);
        if (configBlob.Created) _newBlobs.Add(configBlob.Digest);
        var manifest = new Manifest
        {
            MediaType = MediaTypes.OciManifest,
            Config = new Descriptor { MediaType = MediaTypes.OciConfig, Digest = configBlob.Digest, Size = configBlob.Size },
            Layers = final.Layers.ToList(),
        };
        var manifestBlob = await Images.Content.WriteAsync(ImageJson.Serialize(manifest), null, ct).ConfigureAwait(false);
        if (manifestBlob.Created) _newBlobs.Add(manifestBlob.Digest);
        ct.ThrowIfCancellationRequested();
        await WaitForRemovalsAsync().ConfigureAwait(false);
        foreach (var id in _liveContainers.Keys) await RemoveContainerAsync(id).ConfigureAwait(false);
        ImageRecord published;
        using (var held = StoreLock.Acquire(_containers.Layout, ct))
            published = Images.Publish(held, manifestBlob.Digest, MediaTypes.OciManifest, configBlob.Digest, fullNames);
        Hashes.Save();
        return Images.ToImage(published);
    }

    /// <summary>Undoes the build: removes its leftover containers, new cache records, blobs and layers (unless something else uses them by now).</summary>
    public async Task RollbackAsync()
    {
        await WaitForRemovalsAsync().ConfigureAwait(false);
        foreach (var id in _liveContainers.Keys) await RemoveContainerAsync(id).ConfigureAwait(false);
        foreach (var key in _newRecords) Cache.Remove(key);
        Images.Rollback(_newBlobs, _newChains);
    }

    public void Dispose() => _lease.Dispose();

    /// <summary>Emits a line on the build's output.</summary>
    internal void Say(string step, string stream, string text) => Options.Output?.Invoke(new BuildOutput(step, stream, text));
}
