using ContainerPS.Runtime.IO;
using ContainerPS.Engine.Store;

namespace ContainerPS.Engine.Images;

/// <summary>
/// The name → image index (images/index.json). Reads need no lock: the file is replaced
/// atomically, so a reader sees one whole version. Every change runs under the store lock
/// and re-reads the file inside it, so two shells never lose each other's updates.
/// </summary>
public sealed class ImageIndex
{
    private readonly StoreLayout _layout;

    public ImageIndex(StoreLayout layout) => _layout = layout;

    public IReadOnlyList<ImageRecord> Load()
    {
        if (!File.Exists(_layout.ImageIndex)) return Array.Empty<ImageRecord>();
        return ImageJson.Deserialize<ImageIndexFile>(File.ReadAllBytes(_layout.ImageIndex), _layout.ImageIndex).Images;
    }

    /// <summary>
    /// Runs <paramref name="change"/> on the current records under the store lock (the caller
    /// must already hold it, see <see cref="StoreLock"/>) and writes the result atomically.
    /// </summary>
    public T Update<T>(StoreLock held, Func<List<ImageRecord>, T> change)
    {
        held.EnsureHeld();
        var records = Load().ToList();
        var result = change(records);
        var file = new ImageIndexFile { Images = records };
        AtomicFile.WriteAllBytes(_layout.ImageIndex, ImageJson.Serialize(file));
        return result;
    }
}
