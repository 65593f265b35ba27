using ContainerPS.Engine.Images;
using ContainerPS.Engine.Layers;
using ContainerPS.Engine.Store;
using ContainerPS.Runtime.IO;

namespace ContainerPS.Engine.Build.Cache;

/// <summary>
/// The persistent build cache: step key → the state the step produced (<see cref="BuildCacheRecord"/>).
/// Records are GC roots (like BuildKit's cache, they keep their layers until pruned with
/// <see cref="Prune"/>), so a builder stage that no image keeps still hits the cache tomorrow. A
/// record whose layers are gone (pruned by hand, a damaged store) is a miss and is dropped.
/// </summary>
public sealed class BuildCache
{
    private readonly StoreLayout _layout;
    private readonly ImageStore _images;

    public BuildCache(ImageStore images)
    {
        _images = images;
        _layout = images.Layout;
    }

    private string PathOf(Digest key) => Path.Combine(_layout.BuildCache, key.Hex + ".json");

    /// <summary>The record for <paramref name="key"/> if it exists and all its layers are still in the store (they are touched, so a concurrent GC spares them).</summary>
    public BuildCacheRecord? TryGet(Digest key)
    {
        var path = PathOf(key);
        BuildCacheRecord record;
        try
        {
            record = ImageJson.Deserialize<BuildCacheRecord>(File.ReadAllBytes(path), path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or Errors.EngineException)
        {
            return null;
        }
        var chains = ChainId.For(record.Config.RootFs.DiffIds);
        if (chains.Count != record.Layers.Count) return null;
        for (var i = 0; i < chains.Count; i++)
        {
            if (!_images.LayerStore.Exists(chains[i]) || !_images.Content.Exists(record.Layers[i].Digest))
            {
                AtomicFile.TryDelete(path);
                return null;
            }
        }
        File.SetLastWriteTimeUtc(path, DateTime.UtcNow);
        foreach (var chain in chains) _images.LayerStore.Touch(chain);
        foreach (var layer in record.Layers) _images.Content.Touch(layer.Digest);
        return record;
    }

    public void Put(Digest key, BuildCacheRecord record)
    {
        Directory.CreateDirectory(_layout.BuildCache);
        // Not fsynced: a record lost (or torn) in a crash is only a cache miss (TryGet drops unreadable ones).
        AtomicFile.WriteAllBytes(PathOf(key), ImageJson.Serialize(record), durable: false);
    }

    public void Remove(Digest key) => AtomicFile.TryDelete(PathOf(key));

    /// <summary>Every record's layer blobs and chain IDs: what GC must keep.</summary>
    public static (IEnumerable<Digest> Blobs, IEnumerable<Digest> Chains) Roots(StoreLayout layout)
    {
        var blobs = new List<Digest>();
        var chains = new List<Digest>();
        if (!Directory.Exists(layout.BuildCache)) return (blobs, chains);
        foreach (var file in Directory.EnumerateFiles(layout.BuildCache, "*.json"))
        {
            if (Path.GetFileName(file) == FilesName) continue;
            try
            {
                var record = ImageJson.Deserialize<BuildCacheRecord>(File.ReadAllBytes(file), file);
                blobs.AddRange(record.Layers.Select(l => l.Digest));
                chains.AddRange(ChainId.For(record.Config.RootFs.DiffIds));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or Errors.EngineException)
            {
            }
        }
        return (blobs, chains);
    }

    /// <summary>The file of context file digests (see <see cref="Context.FileHashCache"/>).</summary>
    public const string FilesName = "files.json";

    public string FilesPath => Path.Combine(_layout.BuildCache, FilesName);

    /// <summary>docker builder prune: drops every record (their layers go at the next GC unless an image uses them). Returns how many.</summary>
    public int Prune()
    {
        if (!Directory.Exists(_layout.BuildCache)) return 0;
        var n = 0;
        using var held = StoreLock.Acquire(_layout);
        foreach (var file in Directory.EnumerateFiles(_layout.BuildCache, "*.json").ToList())
        {
            AtomicFile.TryDelete(file);
            if (Path.GetFileName(file) != FilesName) n++;
        }
        foreach (var dir in new[] { "mounts", "lineage" }) // RUN --mount=type=cache directories; COPY's last layers
        {
            var path = Path.Combine(_layout.BuildCache, dir);
            if (Directory.Exists(path)) Directory.Delete(path, recursive: true);
        }
        return n;
    }
}
