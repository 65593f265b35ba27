using ContainerPS.Engine.Build.Cache;
using ContainerPS.Engine.Images;
using ContainerPS.Engine.Layers;
using ContainerPS.Engine.Store;

namespace ContainerPS.Engine.Build.Execution;

/// <summary>
/// Where a stage stands after a step: the image config so far (runtime config, rootfs diff IDs,
/// history), the layer blobs behind the diff IDs, the image the stage started from, and the cache
/// key that names this state (every later step's key hashes it). Immutable: each step makes a new one.
/// </summary>
public sealed class BuildState
{
    public BuildState(ImageConfigFile config, IReadOnlyList<Descriptor> layers, string baseImageId, Digest key)
    {
        Config = config;
        Layers = layers;
        BaseImageId = baseImageId;
        Key = key;
    }

    public ImageConfigFile Config { get; }
    public IReadOnlyList<Descriptor> Layers { get; }
    public string BaseImageId { get; }
    public Digest Key { get; }

    public ContainerConfig Runtime => Config.Config ?? new ContainerConfig();

    public IReadOnlyList<Digest> Chains => ChainId.For(Config.RootFs.DiffIds);

    /// <summary>A deep copy of the config, for the next step to change.</summary>
    public ImageConfigFile CloneConfig() => ImageJson.Deserialize<ImageConfigFile>(ImageJson.Serialize(Config), "build state");

    public BuildCacheRecord ToRecord() => new() { Config = Config, Layers = Layers.ToList(), BaseImageId = BaseImageId };

    public static BuildState FromRecord(BuildCacheRecord record, Digest key) => new(record.Config, record.Layers, record.BaseImageId, key);
}
