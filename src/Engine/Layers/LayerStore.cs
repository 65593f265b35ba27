using ContainerPS.Runtime.IO;
using System.Security.Cryptography;
using ContainerPS.Engine.Archive;
using ContainerPS.Engine.Errors;
using ContainerPS.Engine.Images;
using ContainerPS.Engine.Interop;
using ContainerPS.Engine.Store;

namespace ContainerPS.Engine.Layers;

/// <summary>
/// Unpacked layers keyed by chain ID: layers/&lt;chain-hex&gt;/diff holds exactly one layer's
/// changes with overlay-native whiteouts, so a container's rootfs is an overlay mount of
/// the chain's diff dirs. Each layer is unpacked once (into a temp dir, then renamed), and
/// gets a short link under layers/l/ so lowerdir strings stay short (the kernel caps mount
/// options at one page).
/// </summary>
public sealed class LayerStore
{
    private readonly StoreLayout _layout;

    public LayerStore(StoreLayout layout) => _layout = layout;

    public string DirOf(Digest chainId) => Path.Combine(_layout.Layers, chainId.Hex);

    public string DiffPath(Digest chainId) => Path.Combine(DirOf(chainId), "diff");

    public bool Exists(Digest chainId) => File.Exists(Path.Combine(DirOf(chainId), "layer.json"));

    public LayerInfo Get(Digest chainId)
    {
        var path = Path.Combine(DirOf(chainId), "layer.json");
        if (!File.Exists(path)) throw new NotFoundException("LayerNotFound", $"layer {chainId} is not unpacked in the store", chainId.ToString());
        return ImageJson.Deserialize<LayerInfo>(File.ReadAllBytes(path), path);
    }

    public IEnumerable<LayerInfo> List()
    {
        if (!Directory.Exists(_layout.Layers)) yield break;
        foreach (var dir in Directory.EnumerateDirectories(_layout.Layers))
        {
            var meta = Path.Combine(dir, "layer.json");
            if (!File.Exists(meta)) continue;
            yield return ImageJson.Deserialize<LayerInfo>(File.ReadAllBytes(meta), meta);
        }
    }

    /// <summary>
    /// Unpacks a layer unless it already is. <paramref name="openBlob"/> opens the layer blob
    /// as stored (compressed or not); its uncompressed content must hash to
    /// <paramref name="diffId"/>, else nothing is kept and <see cref="DigestMismatchException"/> is thrown.
    /// </summary>
    public async Task<LayerInfo> EnsureUnpackedAsync(Digest chainId, Digest diffId, Digest? parent, Func<Stream> openBlob, string what, CancellationToken cancellationToken = default)
    {
        if (Exists(chainId))
        {
            Touch(chainId);
            return Get(chainId);
        }
        var temp = NewStaging();
        var diff = Path.Combine(temp, "diff");
        try
        {
            LayerExtractResult result;
            Digest actual;
            await using (var blob = openBlob())
            await using (var plain = Compression.OpenDecompressed(blob, out _))
            using (var hashing = new HashingStream(plain, leaveOpen: true))
            {
                result = await new LayerExtractor(WhiteoutMode.Overlay).ExtractAsync(hashing, diff, what, cancellationToken).ConfigureAwait(false);
                actual = await hashing.FinishAsync(cancellationToken).ConfigureAwait(false);
            }
            if (actual != diffId) throw new DigestMismatchException(diffId.ToString(), actual.ToString(), $"{what} (uncompressed)");
            var info = Register(temp, new LayerInfo { ChainId = chainId, DiffId = diffId, Parent = parent, Size = result.Bytes });
            return info ?? Get(chainId); // null: another shell unpacked the same layer meanwhile, theirs is as good as ours
        }
        catch
        {
            RemoveTree(temp);
            throw;
        }
    }

    /// <summary>
    /// A new staging directory (layers/.tmp-*, with an empty diff/ inside) in which a layer is
    /// built in place (the builder's COPY); <see cref="Adopt"/> then registers it without
    /// unpacking a tar again. GC removes a staging directory a crashed writer left behind.
    /// </summary>
    public string NewStaging()
    {
        Directory.CreateDirectory(_layout.Layers);
        var temp = Path.Combine(_layout.Layers, AtomicFile.TempPrefix + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.Combine(temp, "diff"));
        return temp;
    }

    /// <summary>
    /// Registers a staging directory from <see cref="NewStaging"/> whose diff/ holds exactly the
    /// layer <paramref name="diffId"/> (overlay-native whiteouts) as the unpacked layer
    /// <paramref name="chainId"/>. When that layer exists already the staging directory is removed
    /// and the existing one kept. Returns whether this call created the layer.
    /// </summary>
    public bool Adopt(string staging, Digest chainId, Digest diffId, Digest? parent, long size)
    {
        if (Exists(chainId))
        {
            RemoveTree(staging);
            Touch(chainId);
            return false;
        }
        return Register(staging, new LayerInfo { ChainId = chainId, DiffId = diffId, Parent = parent, Size = size }) is not null;
    }

    /// <summary>
    /// Writes layer.json into a complete temp layer dir and renames it into place, with its short
    /// link. Null when the layer appeared meanwhile (the temp dir is removed, the existing one kept).
    /// </summary>
    private LayerInfo? Register(string temp, LayerInfo info)
    {
        info.Link = NewLinkName();
        info.Created = DateTimeOffset.UtcNow;
        AtomicFile.WriteAllBytes(Path.Combine(temp, "layer.json"), ImageJson.Serialize(info));
        try
        {
            Directory.Move(temp, DirOf(info.ChainId));
        }
        catch (IOException) when (Exists(info.ChainId))
        {
            RemoveTree(temp);
            Touch(info.ChainId);
            return null;
        }
        Directory.CreateDirectory(_layout.LayerLinks);
        var link = Path.Combine(_layout.LayerLinks, info.Link);
        if (!Path.Exists(link)) FileSystem.SymLink(Path.Combine("..", info.ChainId.Hex, "diff"), link);
        return info;
    }

    /// <summary>Removes an unpacked layer and its short link (caller holds the store lock).</summary>
    public void Delete(Digest chainId)
    {
        var dir = DirOf(chainId);
        if (!Directory.Exists(dir)) return;
        try
        {
            var info = Get(chainId);
            if (!string.IsNullOrEmpty(info.Link)) AtomicFile.TryDelete(Path.Combine(_layout.LayerLinks, info.Link));
        }
        catch (EngineException) { }
        // Rename first so a half-deleted layer is never mistaken for a whole one.
        var doomed = Path.Combine(_layout.Layers, AtomicFile.TempPrefix + "rm-" + chainId.Hex[..12] + "-" + Guid.NewGuid().ToString("N")[..6]);
        Directory.Move(dir, doomed);
        RemoveTree(doomed);
    }

    /// <summary>Marks a reused layer as recently used so a concurrent GC spares it (see <see cref="Lease"/>).</summary>
    public void Touch(Digest chainId)
    {
        try { File.SetLastWriteTimeUtc(Path.Combine(DirOf(chainId), "layer.json"), DateTime.UtcNow); }
        catch (IOException) { }
    }

    public DateTime LastUsed(Digest chainId) => File.GetLastWriteTimeUtc(Path.Combine(DirOf(chainId), "layer.json"));

    internal static void RemoveTree(string path)
    {
        if (!Directory.Exists(path)) return;
        // Unpacked layers may hold read-only directories and immutable-looking modes; as root
        // Directory.Delete handles modes, but not a mount point left by a crashed container.
        Directory.Delete(path, recursive: true);
    }

    private static string NewLinkName()
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        Span<byte> bytes = stackalloc byte[16];
        RandomNumberGenerator.Fill(bytes);
        var chars = new char[16];
        for (var i = 0; i < chars.Length; i++) chars[i] = alphabet[bytes[i] % alphabet.Length];
        return new string(chars);
    }
}
