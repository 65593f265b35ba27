using System.Runtime.InteropServices;

namespace ContainerPS.Runtime.IO;

/// <summary>
/// An flock(2) on a lock file. Exclusive for mutations, shared for consistent reads. flock
/// locks belong to the open file description, so two shells (or two threads with their own
/// FileLock) exclude each other, and the kernel drops the lock if the process dies.
/// The file is opened with open(2), not FileStream: .NET emulates FileShare on Unix with
/// flock of its own, which would collide with ours.
/// </summary>
public sealed class FileLock : IDisposable
{
    private int _fd;

    private FileLock(int fd, string path)
    {
        _fd = fd;
        Path = path;
    }

    public string Path { get; }

    public static FileLock Acquire(string path, bool exclusive = true, CancellationToken cancellationToken = default)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        return Lock(path, exclusive, cancellationToken);
    }

    /// <summary>
    /// As <see cref="Acquire"/>, in a directory that still exists: null when it is gone, which
    /// is never created again. For a container's monitor, whose store may have been deleted
    /// under it (its lock would otherwise bring back the store directory and lock file).
    /// </summary>
    public static FileLock? AcquireIfPresent(string path, bool exclusive = true, CancellationToken cancellationToken = default)
    {
        var dir = System.IO.Path.GetDirectoryName(path)!;
        if (!Directory.Exists(dir)) return null;
        try
        {
            return Lock(path, exclusive, cancellationToken);
        }
        catch (IoException e) when (e.Call == "open" && !Directory.Exists(dir))
        {
            return null; // deleted meanwhile
        }
    }

    private static FileLock Lock(string path, bool exclusive, CancellationToken cancellationToken)
    {
        var fd = IoNative.open(path, IoNative.O_RDWR | IoNative.O_CREAT | IoNative.O_CLOEXEC, 0b110_100_100);
        if (fd < 0) throw new IoException("open", path, Marshal.GetLastPInvokeError());
        try
        {
            var op = (exclusive ? IoNative.LOCK_EX : IoNative.LOCK_SH) | IoNative.LOCK_NB;
            var delay = 1;
            // Poll with LOCK_NB instead of blocking in flock so Ctrl+C (the token) can interrupt the wait.
            while (IoNative.flock(fd, op) != 0)
            {
                var errno = Marshal.GetLastPInvokeError();
                if (errno != IoNative.EAGAIN && errno != IoNative.EINTR) throw new IoException("flock", path, errno);
                cancellationToken.ThrowIfCancellationRequested();
                Thread.Sleep(delay);
                delay = Math.Min(delay * 2, 50);
            }
            return new FileLock(fd, path);
        }
        catch
        {
            IoNative.close(fd);
            throw;
        }
    }

    /// <summary>Takes the lock only if it is free right now; null when someone holds it.</summary>
    public static FileLock? TryAcquire(string path, bool exclusive = true)
    {
        var fd = IoNative.open(path, IoNative.O_RDWR | IoNative.O_CLOEXEC, 0);
        if (fd < 0) return null;
        var op = (exclusive ? IoNative.LOCK_EX : IoNative.LOCK_SH) | IoNative.LOCK_NB;
        if (IoNative.flock(fd, op) == 0) return new FileLock(fd, path);
        IoNative.close(fd);
        return null;
    }

    public static async Task<FileLock> AcquireAsync(string path, bool exclusive = true, CancellationToken cancellationToken = default) =>
        await Task.Run(() => Acquire(path, exclusive, cancellationToken), cancellationToken).ConfigureAwait(false);

    public void Dispose()
    {
        var fd = Interlocked.Exchange(ref _fd, -1);
        if (fd >= 0) IoNative.close(fd); // closing the descriptor releases the flock
    }
}
