namespace ContainerPS.Engine.Store;

/// <summary>
/// Deletes directories that are already out of sight — a removed container renamed to
/// <c>.rm-&lt;id&gt;</c> under the store lock — on a thread-pool thread, so <c>docker rm</c> and
/// <c>-AutoRemove</c> return at the rename instead of after unlinking every file of the
/// container's writable layer (containerd's model: removal is the metadata change, space is
/// reclaimed behind it). Nothing can see or reuse such a directory: listings skip dot-names,
/// names and IDs are free the moment it is renamed.
/// </summary>
/// <remarks>
/// A process that ends first waits for its queued deletions (up to <see cref="ExitWait"/>);
/// what a crash or a kill leaves is swept by the next removal in the same store
/// (<see cref="SweepOnce"/>). Two processes deleting the same leftover is harmless: each ignores
/// what the other already removed.
/// </remarks>
public static class DeferredDeletion
{
    /// <summary>How long a process that is ending waits for its queued deletions.</summary>
    public static readonly TimeSpan ExitWait = TimeSpan.FromSeconds(10);

    private static readonly object Gate = new();
    private static readonly HashSet<string> Pending = new(StringComparer.Ordinal);
    private static readonly HashSet<string> Swept = new(StringComparer.Ordinal);

    static DeferredDeletion()
    {
        AppDomain.CurrentDomain.ProcessExit += (_, _) => WaitIdle(ExitWait);
    }

    /// <summary>
    /// Deletes <paramref name="path"/> (a directory nothing refers to any more) in the
    /// background; <paramref name="alsoAfter"/> runs after it on the same thread (clean-up that
    /// must not hold up the caller either). Failures are ignored: a later sweep retries.
    /// </summary>
    public static void Delete(string path, Action? alsoAfter = null)
    {
        lock (Gate)
        {
            if (!Pending.Add(path)) return;
        }
        ThreadPool.UnsafeQueueUserWorkItem(static state =>
        {
            var (dir, after) = state;
            try
            {
                DeleteNow(dir);
                after?.Invoke();
            }
            finally
            {
                lock (Gate)
                {
                    Pending.Remove(dir);
                    System.Threading.Monitor.PulseAll(Gate);
                }
            }
        }, (path, alsoAfter), preferLocal: false);
    }

    /// <summary>
    /// Once per process and <paramref name="parent"/>: queues every directory under it whose
    /// name starts with one of <paramref name="prefixes"/> — leftovers of removals that a crash
    /// or a kill interrupted (once is enough: this process deletes what it removes itself).
    /// </summary>
    public static void SweepOnce(string parent, params string[] prefixes)
    {
        lock (Gate)
        {
            if (!Swept.Add(parent)) return;
        }
        IEnumerable<string> dirs;
        try
        {
            dirs = Directory.EnumerateDirectories(parent).ToList();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return;
        }
        foreach (var dir in dirs)
        {
            var name = Path.GetFileName(dir);
            if (prefixes.Any(p => name.StartsWith(p, StringComparison.Ordinal))) Delete(dir);
        }
    }

    /// <summary>Waits until nothing queued is left; false when <paramref name="timeout"/> passed first.</summary>
    public static bool WaitIdle(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        lock (Gate)
        {
            while (Pending.Count > 0)
            {
                var left = deadline - DateTime.UtcNow;
                if (left <= TimeSpan.Zero || !System.Threading.Monitor.Wait(Gate, left)) return Pending.Count == 0;
            }
            return true;
        }
    }

    private static void DeleteNow(string dir)
    {
        try
        {
            Directory.Delete(dir, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Gone already (another process swept it), or not deletable now: the next sweep retries.
        }
    }
}
