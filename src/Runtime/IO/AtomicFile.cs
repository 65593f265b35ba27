namespace ContainerPS.Runtime.IO;

/// <summary>
/// Whole-file writes that are never seen half-done: write a temp file beside the target,
/// fsync it, rename over the target, fsync the directory. A reader sees the old or the new
/// content; a crash leaves at worst a stray temp file (".tmp-*", collected by GC).
/// </summary>
public static class AtomicFile
{
    public const string TempPrefix = ".tmp-";

    public static void WriteAllBytes(string path, ReadOnlySpan<byte> content)
    {
        var dir = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(dir);
        var temp = Path.Combine(dir, TempPrefix + Path.GetFileName(path) + "-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            using (var fs = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                fs.Write(content);
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
