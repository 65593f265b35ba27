namespace ContainerPS.Runtime.IO;

/// <summary>
/// Whole-file writes that are never seen half-done: write a temp file beside the target,
/// fsync it, rename over the target, fsync the directory. A reader sees the old or the new
/// content; a crash leaves at worst a stray temp file (".tmp-*", collected by GC).
/// </summary>
public static class AtomicFile
{
    public const string TempPrefix = ".tmp-";

    public static void WriteAllBytes(string path, ReadOnlySpan<byte> content) => WriteAllBytes(path, content, durable: true);

    /// <summary>
    /// With <paramref name="durable"/> false the write is still atomic for readers (temp +
    /// rename) but not fsynced: for files whose loss in a crash is harmless or re-derived —
    /// a monitor's state.json (a dead monitor already reads as "exited"), monitor.json
    /// (rewritten by every start), a container's bundle files (its record, fsynced last,
    /// is what makes a container exist). Each fsync pair costs 0.2–15 ms on a busy disk.
    /// </summary>
    public static void WriteAllBytes(string path, ReadOnlySpan<byte> content, bool durable)
    {
        var dir = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(dir);
        var temp = Path.Combine(dir, TempPrefix + Path.GetFileName(path) + "-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            using (var fs = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                fs.Write(content);
                fs.Flush(flushToDisk: durable);
            }
            File.Move(temp, path, overwrite: true);
            if (durable) IoNative.FsyncDirectory(dir);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    public static async Task WriteAllBytesAsync(string path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default)
    {
        var dir = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(dir);
        var temp = Path.Combine(dir, TempPrefix + Path.GetFileName(path) + "-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            await using (var fs = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 4096, useAsync: true))
            {
                await fs.WriteAsync(content, cancellationToken).ConfigureAwait(false);
                fs.Flush(flushToDisk: true);
            }
            File.Move(temp, path, overwrite: true);
            IoNative.FsyncDirectory(dir);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    public static void TryDelete(string path)
    {
        try { File.Delete(path); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
