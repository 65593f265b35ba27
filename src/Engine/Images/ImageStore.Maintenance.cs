using ContainerPS.Runtime.IO;
using ContainerPS.Engine.Layers;
using ContainerPS.Engine.Store;

namespace ContainerPS.Engine.Images;

public sealed partial class ImageStore
{
    /// <summary>docker history: newest step first; steps that added a layer carry its size.</summary>
    public IReadOnlyList<ImageHistoryItem> History(string nameOrId)
    {
        var image = Get(nameOrId);
        var config = ReadConfig(image.ConfigDigest);
        var diffIds = config.RootFs.DiffIds;
        var chains = ChainId.For(diffIds);
        var history = config.History is { Count: > 0 } h
            ? h
            : diffIds.Select(_ => new HistoryEntry { Created = config.Created }).ToList();
        var rows = new List<ImageHistoryItem>();
        var layer = 0;
        foreach (var entry in history)
        {
            var empty = entry.EmptyLayer == true || layer >= diffIds.Count;
            long size = 0;
            string? layerDigest = null;
            if (!empty)
            {
                layerDigest = diffIds[layer].ToString();
                if (LayerStore.Exists(chains[layer])) size = LayerStore.Get(chains[layer]).Size;
                layer++;
            }
            rows.Add(new ImageHistoryItem
            {
                Id = "<missing>",
                Created = entry.Created,
                CreatedBy = entry.CreatedBy ?? "",
                Comment = entry.Comment,
                EmptyLayer = empty,
                Size = size,
                LayerDigest = layerDigest,
            });
        }
        rows.Reverse();
        if (rows.Count > 0)
            rows[0] = new ImageHistoryItem
            {
                Id = image.Id, Created = rows[0].Created, CreatedBy = rows[0].CreatedBy, Comment = rows[0].Comment,
                EmptyLayer = rows[0].EmptyLayer, Size = rows[0].Size, LayerDigest = rows[0].LayerDigest, Tags = image.RepoTags,
            };
        return rows;
    }

    /// <summary>docker system df for what this store holds.</summary>
    public IReadOnlyList<DiskUsageItem> DiskUsage()
    {
        var records = Index.Load();
        var usedImages = ContainerUsage.AllImageIds(Layout.Containers);
        var layers = LayerStore.List().ToDictionary(l => l.ChainId);
        var imageChains = new Dictionary<Digest, IReadOnlyList<Digest>>();
        foreach (var r in records)
            if (!imageChains.ContainsKey(r.Config)) imageChains[r.Config] = ChainId.For(ReadConfig(r.Config).RootFs.DiffIds);
        var referenced = imageChains.Values.SelectMany(c => c).ToHashSet();
        var active = imageChains.Where(kv => usedImages.Contains(kv.Key.ToString())).SelectMany(kv => kv.Value).ToHashSet();
        long Size(IEnumerable<Digest> chains) => chains.Where(layers.ContainsKey).Sum(c => layers[c].Size);
        var imageSize = Size(referenced);
        var containerDirs = Directory.Exists(Layout.Containers) ? Directory.GetDirectories(Layout.Containers).Length : 0;
        return new[]
        {
            new DiskUsageItem
            {
                Type = "Images", Total = imageChains.Count, Active = imageChains.Keys.Count(k => usedImages.Contains(k.ToString())),
                Size = imageSize, Reclaimable = imageSize - Size(active),
            },
            new DiskUsageItem
            {
                Type = "Layers", Total = layers.Count, Active = referenced.Count(layers.ContainsKey),
                Size = layers.Values.Sum(l => l.Size), Reclaimable = layers.Values.Where(l => !referenced.Contains(l.ChainId)).Sum(l => l.Size),
            },
            new DiskUsageItem { Type = "Containers", Total = containerDirs, Active = 0, Size = 0, Reclaimable = 0 },
            VolumeUsage(),
            BuildCacheUsage(layers, referenced),
        };
    }

    /// <summary>
    /// docker system df's "Build Cache" row: the build cache's records, and the size of the layers
    /// only they keep (not used by any image) — what pruning the cache would free.
    /// </summary>
    private DiskUsageItem BuildCacheUsage(Dictionary<Digest, Layers.LayerInfo> layers, HashSet<Digest> usedByImages)
    {
        var records = Directory.Exists(Layout.BuildCache)
            ? Directory.EnumerateFiles(Layout.BuildCache, "*.json").Count(f => Path.GetFileName(f) != Build.Cache.BuildCache.FilesName)
            : 0;
        var cacheOnly = Build.Cache.BuildCache.Roots(Layout).Chains.Where(c => !usedByImages.Contains(c) && layers.ContainsKey(c)).Distinct().ToList();
        var size = cacheOnly.Sum(c => layers[c].Size);
        return new DiskUsageItem { Type = "Build Cache", Total = records, Active = 0, Size = size, Reclaimable = size };
    }

    /// <summary>docker system df's "Local Volumes" row: volumes a container mounts are active, the rest reclaimable.</summary>
    private DiskUsageItem VolumeUsage()
    {
        var volumes = new Volumes.VolumeStore(Layout);
        var all = volumes.List();
        var sizes = all.ToDictionary(v => v.Name, volumes.Measure);
        return new DiskUsageItem
        {
            Type = "Local Volumes", Total = all.Count, Active = all.Count(v => v.UsedBy.Count > 0),
            Size = sizes.Values.Sum(), Reclaimable = all.Where(v => v.UsedBy.Count == 0).Sum(v => sizes[v.Name]),
        };
    }

    /// <summary>Removes blobs and unpacked layers no image or container references.</summary>
    public GarbageCollectionResult CollectGarbage()
    {
        using var held = StoreLock.Acquire(Layout);
        return CollectGarbage(held);
    }

    /// <summary>Blobs and chain IDs that images and containers reference (the GC roots' closure).</summary>
    private (HashSet<Digest> Blobs, HashSet<Digest> Chains) LiveSet()
    {
        var records = Index.Load();
        var liveConfigs = records.Select(r => r.Config).ToHashSet();
        foreach (var id in ContainerUsage.AllImageIds(Layout.Containers))
            if (Digest.TryParse(id, out var d)) liveConfigs.Add(d);
        var liveBlobs = new HashSet<Digest>(liveConfigs);
        var liveChains = new HashSet<Digest>();
        foreach (var r in records)
        {
            liveBlobs.Add(r.Manifest);
            if (!Content.Exists(r.Manifest)) continue;
            var manifest = ReadManifest(r.Manifest);
            liveBlobs.Add(manifest.Config.Digest);
            foreach (var l in manifest.Layers) liveBlobs.Add(l.Digest);
        }
        foreach (var c in liveConfigs)
        {
            if (!Content.Exists(c)) continue;
            foreach (var chain in ChainId.For(ReadConfig(c).RootFs.DiffIds)) liveChains.Add(chain);
        }
        // The build cache's records are roots too, until Prune (see BuildCache).
        var (cacheBlobs, cacheChains) = Build.Cache.BuildCache.Roots(Layout);
        liveBlobs.UnionWith(cacheBlobs);
        liveChains.UnionWith(cacheChains);
        return (liveBlobs, liveChains);
    }

    /// <summary>
    /// Undoes what a failed operation created: its new blobs and layers go unless something
    /// else references them by now. Leaves the store as it was before the operation.
    /// </summary>
    internal void Rollback(IEnumerable<Digest> newBlobs, IEnumerable<Digest> newChains)
    {
        using var held = StoreLock.Acquire(Layout);
        var (liveBlobs, liveChains) = LiveSet();
        foreach (var b in newBlobs)
            if (!liveBlobs.Contains(b)) Content.Delete(b);
        foreach (var c in newChains)
            if (!liveChains.Contains(c)) LayerStore.Delete(c);
    }

    internal GarbageCollectionResult CollectGarbage(StoreLock held)
    {
        held.EnsureHeld();
        // Content touched since the oldest operation in progress began may be about to be
        // referenced by it: spare it (see Lease).
        var keepAfter = Lease.OldestLive(Layout) ?? DateTime.MaxValue;
        var (liveBlobs, liveChains) = LiveSet();
        int blobs = 0, layers = 0;
        long bytes = 0;
        foreach (var blob in Content.List().ToList())
        {
            if (liveBlobs.Contains(blob)) continue;
            var path = Content.PathOf(blob);
            if (File.GetLastWriteTimeUtc(path) >= keepAfter) continue;
            bytes += new FileInfo(path).Length;
            Content.Delete(blob);
            blobs++;
        }
        foreach (var layer in LayerStore.List().ToList())
        {
            if (liveChains.Contains(layer.ChainId)) continue;
            if (LayerStore.LastUsed(layer.ChainId) >= keepAfter) continue;
            bytes += layer.Size;
            LayerStore.Delete(layer.ChainId);
            layers++;
        }
        // Leftovers of crashed writers: ingest files and temp dirs older than any live operation.
        var cutoff = keepAfter == DateTime.MaxValue ? DateTime.UtcNow : keepAfter;
        if (Directory.Exists(Layout.Ingest))
            foreach (var f in Directory.EnumerateFiles(Layout.Ingest))
                if (File.GetLastWriteTimeUtc(f) < cutoff) AtomicFile.TryDelete(f);
        if (Directory.Exists(Layout.Layers))
        {
            foreach (var d in Directory.EnumerateDirectories(Layout.Layers, AtomicFile.TempPrefix + "*"))
                if (Directory.GetLastWriteTimeUtc(d) < cutoff) LayerStore.RemoveTree(d);
            if (Directory.Exists(Layout.LayerLinks))
                foreach (var link in Directory.EnumerateFileSystemEntries(Layout.LayerLinks))
                    if (!Directory.Exists(link)) AtomicFile.TryDelete(link); // dangling short link
        }
        return new GarbageCollectionResult(blobs, layers, bytes);
    }
}
