using ContainerPS.Runtime.IO;
using System.Buffers;
using System.Security.Cryptography;
using ContainerPS.Engine.Errors;
using ContainerPS.Engine.Interop;

namespace ContainerPS.Engine.Store;

/// <summary>
/// Content-addressed blob store (containerd's content store shape): every write goes to
/// <c>ingest/</c>, is hashed while it is written, verified against the expected digest and
/// size, fsynced and only then renamed to <c>blobs/sha256/&lt;hex&gt;</c>. A reader can never
/// see a partial blob; a crash leaves at worst a file in ingest/ that GC removes.
/// </summary>
public sealed class ContentStore
{
    private const int BufferSize = 1 << 20;
    private readonly StoreLayout _layout;

    public ContentStore(StoreLayout layout) => _layout = layout;

    public bool Exists(Digest digest) => File.Exists(_layout.BlobPath(digest));

    public string PathOf(Digest digest) => _layout.BlobPath(digest);

    public long SizeOf(Digest digest)
    {
        var info = new FileInfo(_layout.BlobPath(digest));
        if (!info.Exists) throw NotFound(digest);
        return info.Length;
    }

    public Stream OpenRead(Digest digest)
    {
        try
        {
            return new FileStream(_layout.BlobPath(digest), FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, BufferSize, FileOptions.SequentialScan);
        }
        catch (FileNotFoundException) { throw NotFound(digest); }
        catch (DirectoryNotFoundException) { throw NotFound(digest); }
    }

    public byte[] ReadAllBytes(Digest digest)
    {
        try { return File.ReadAllBytes(_layout.BlobPath(digest)); }
        catch (FileNotFoundException) { throw NotFound(digest); }
        catch (DirectoryNotFoundException) { throw NotFound(digest); }
    }

    /// <summary>Stores a small blob held in memory (manifests, configs).</summary>
    public async Task<BlobInfo> WriteAsync(ReadOnlyMemory<byte> content, Digest? expected = null, CancellationToken cancellationToken = default)
    {
        using var ms = new MemoryStream(content.ToArray(), writable: false);
        return await WriteAsync(ms, expected, content.Length, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Copies <paramref name="source"/> into the store. When <paramref name="expected"/> is
    /// given the content must hash to it (and be <paramref name="expectedSize"/> long if
    /// given), else <see cref="DigestMismatchException"/> and nothing is stored. A blob
    /// that already exists is not rewritten (the source is still drained and verified).
    /// </summary>
    public async Task<BlobInfo> WriteAsync(Stream source, Digest? expected = null, long? expectedSize = null, CancellationToken cancellationToken = default)
    {
        Directory.CreateDirectory(_layout.Ingest);
        var temp = Path.Combine(_layout.Ingest, Guid.NewGuid().ToString("N"));
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            long size = 0;
            await using (var fs = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.Asynchronous))
            {
                int n;
                while ((n = await source.ReadAsync(buffer.AsMemory(0, BufferSize), cancellationToken).ConfigureAwait(false)) > 0)
                {
                    hash.AppendData(buffer, 0, n);
                    await fs.WriteAsync(buffer.AsMemory(0, n), cancellationToken).ConfigureAwait(false);
                    size += n;
                }
                fs.Flush(flushToDisk: true);
            }
            var digest = Digest.FromHash(hash.GetHashAndReset());
            if (expected is { } e && e.Algorithm == "sha256" && e != digest)
                throw new DigestMismatchException(e.ToString(), digest.ToString());
            if (expectedSize is { } s && s != size)
                throw new DigestMismatchException($"{digest} of {s} bytes", $"{size} bytes", "blob size");
            var final = _layout.BlobPath(digest);
            if (File.Exists(final))
            {
                File.Delete(temp);
                Touch(digest);
                return new BlobInfo(digest, size, Created: false);
            }
            Directory.CreateDirectory(Path.GetDirectoryName(final)!);
            File.Move(temp, final, overwrite: true);
            FileSystem.FsyncDirectory(Path.GetDirectoryName(final)!);
            return new BlobInfo(digest, size, Created: true);
        }
        catch
        {
            AtomicFile.TryDelete(temp);
            throw;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    public IEnumerable<Digest> List()
    {
        var dir = Path.Combine(_layout.Blobs, "sha256");
        if (!Directory.Exists(dir)) yield break;
        foreach (var f in Directory.EnumerateFiles(dir))
            if (Digest.TryParse("sha256:" + Path.GetFileName(f), out var d)) yield return d;
    }

    public void Delete(Digest digest) => AtomicFile.TryDelete(_layout.BlobPath(digest));

    /// <summary>Marks reused content as recently used so a concurrent GC spares it (see <see cref="Lease"/>).</summary>
    public void Touch(Digest digest)
    {
        try { File.SetLastWriteTimeUtc(_layout.BlobPath(digest), DateTime.UtcNow); }
        catch (IOException) { }
    }

    /// <summary>Removes ingest leftovers older than <paramref name="age"/> (crashed writers).</summary>
    public int CleanIngest(TimeSpan age)
    {
        if (!Directory.Exists(_layout.Ingest)) return 0;
        var removed = 0;
        foreach (var f in Directory.EnumerateFiles(_layout.Ingest))
        {
            if (DateTime.UtcNow - File.GetLastWriteTimeUtc(f) < age) continue;
            AtomicFile.TryDelete(f);
            removed++;
        }
        return removed;
    }

    private static NotFoundException NotFound(Digest d) => new("BlobNotFound", $"blob {d} not found in the store", d.ToString());
}
