using ContainerPS.Runtime.IO;

namespace ContainerPS.Engine.Store;

/// <summary>
/// Protects content that an operation in progress has written but not yet referenced
/// (containerd's leases, simplified): the operation holds an flock on leases/&lt;id&gt;.lock for
/// its lifetime, and GC spares every blob and layer touched since the oldest live lease
/// began. A lease whose holder died is unlocked, so GC sees it as stale and removes it.
/// Writers "touch" content they reuse, so reused old content is protected as well.
/// </summary>
public sealed class Lease : IDisposable
{
    private readonly FileLock _lock;

    private Lease(FileLock fileLock, DateTime started)
    {
        _lock = fileLock;
        Started = started;
    }

    public DateTime Started { get; }

    public static Lease Begin(StoreLayout layout)
    {
        var dir = Path.Combine(layout.Root, "leases");
        Directory.CreateDirectory(dir);
        var path = Path.Combine(dir, Guid.NewGuid().ToString("N") + ".lock");
        var fileLock = FileLock.Acquire(path, exclusive: true);
        return new Lease(fileLock, File.GetLastWriteTimeUtc(path));
    }

    /// <summary>
    /// The start of the oldest live lease (content modified at or after it must be kept), or
    /// null when none is live. Stale lease files are deleted on the way.
    /// </summary>
    public static DateTime? OldestLive(StoreLayout layout)
    {
        var dir = Path.Combine(layout.Root, "leases");
        if (!Directory.Exists(dir)) return null;
        DateTime? oldest = null;
        foreach (var file in Directory.EnumerateFiles(dir, "*.lock"))
        {
            var started = File.GetLastWriteTimeUtc(file);
            if (TryLockStale(file))
            {
                AtomicFile.TryDelete(file);
                continue;
            }
            if (oldest is null || started < oldest) oldest = started;
        }
        // A second of slack: file timestamps and the clock may disagree in their last digits.
        return oldest?.AddSeconds(-1);
    }

    private static bool TryLockStale(string file)
    {
        using var probe = FileLock.TryAcquire(file);
        return probe is not null;
    }

    public void Dispose()
    {
        var path = _lock.Path;
        _lock.Dispose();
        AtomicFile.TryDelete(path);
    }
}
