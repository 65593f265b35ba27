using System.Globalization;

namespace ContainerPS.Runtime.Cgroups;

/// <summary>Directory walking, polling and parsing shared by the v1 and v2 managers.</summary>
internal static class CgroupTree
{
    public static readonly TimeSpan DefaultFreezeTimeout = TimeSpan.FromSeconds(5);
    public static readonly TimeSpan DefaultDestroyTimeout = TimeSpan.FromSeconds(2);

    /// <summary>"/containerps/abc" → ["containerps", "abc"]; rejects relative paths and dot segments.</summary>
    public static string[] Segments(string path)
    {
        if (!path.StartsWith('/'))
            throw new CgroupException(CgroupErrorKind.InvalidArgument, path, $"cgroup path {path} must be absolute");
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (segments.Length == 0 || segments.Any(s => s is "." or ".."))
            throw new CgroupException(CgroupErrorKind.InvalidArgument, path, $"cgroup path {path} must name a cgroup below the root, without . or ..");
        return segments;
    }

    public static string Join(string mountPoint, string path) => mountPoint.TrimEnd('/') + "/" + string.Join('/', Segments(path));

    /// <summary>
    /// Creates each missing level from the mount point down. <paramref name="beforeLevel"/> runs
    /// with (parent, child) before each level, new or old (v2 enables controllers in the parent, which
    /// must happen before the child exists for it to get them); <paramref name="afterLevel"/> runs
    /// after each level exists (v1 cpuset fills in cpus/mems).
    /// </summary>
    public static void EnsureLevels(CgroupFiles files, string mountPoint, string path,
        Action<string, string>? beforeLevel = null, Action<string, string>? afterLevel = null)
    {
        var current = mountPoint.TrimEnd('/');
        foreach (var segment in Segments(path))
        {
            var parent = current;
            current = parent + "/" + segment;
            beforeLevel?.Invoke(parent, current);
            if (!files.DirectoryExists(current)) files.CreateDirectory(current);
            afterLevel?.Invoke(parent, current);
        }
    }

    /// <summary>PIDs in cgroup.procs of <paramref name="dir"/> and every child cgroup below it.</summary>
    public static IReadOnlyList<int> Processes(CgroupFiles files, string dir)
    {
        var pids = new SortedSet<int>();
        Collect(files, dir, pids);
        return pids.ToArray();

        static void Collect(CgroupFiles files, string dir, SortedSet<int> pids)
        {
            string text;
            try
            {
                text = files.ReadText(dir + "/cgroup.procs");
            }
            catch (CgroupException e) when (e.Errno is Errnos.ENOENT or Errnos.ENODEV)
            {
                return; // removed under us
            }
            foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                if (int.TryParse(line, NumberStyles.None, CultureInfo.InvariantCulture, out var pid)) pids.Add(pid);
            foreach (var child in files.ListDirectories(dir)) Collect(files, child, pids);
        }
    }

    /// <summary>
    /// rmdir of <paramref name="dir"/> after its child cgroups. EBUSY means tasks are still leaving
    /// (a killed process stays a member until it has exited): retried with backoff until the deadline.
    /// </summary>
    public static void RemoveTree(CgroupFiles files, string dir, DateTime deadline)
    {
        if (!files.DirectoryExists(dir)) return;
        foreach (var child in files.ListDirectories(dir)) RemoveTree(files, child, deadline);
        // Short first: right after a container's exit its cgroups are usually free within a
        // millisecond, and a 5 ms first sleep was most of an -AutoRemove run's removal.
        var delay = 1;
        while (true)
        {
            try
            {
                files.RemoveDirectory(dir);
                return;
            }
            catch (CgroupException e) when (e.Errno == Errnos.ENOENT)
            {
                return;
            }
            catch (CgroupException e) when (e.Errno == Errnos.EBUSY && DateTime.UtcNow < deadline)
            {
                Thread.Sleep(delay);
                delay = Math.Min(delay * 2, 100);
            }
        }
    }

    /// <summary>Polls <paramref name="done"/> (1 ms, growing to 10 ms) until true or the deadline; then false.</summary>
    public static bool WaitUntil(Func<int, bool> done, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        var delay = 1;
        for (var attempt = 0; ; attempt++)
        {
            if (done(attempt)) return true;
            if (DateTime.UtcNow >= deadline) return false;
            Thread.Sleep(delay);
            delay = Math.Min(delay * 2, 10);
        }
    }

    /// <summary>"key value" lines (cpu.stat, memory.stat, memory.events, memory.oom_control).</summary>
    public static long? FlatKeyed(CgroupFiles files, string path, string key)
    {
        if (!files.FileExists(path)) return null;
        foreach (var line in files.ReadText(path).Split('\n'))
        {
            var space = line.IndexOf(' ');
            if (space > 0 && line.AsSpan(0, space).SequenceEqual(key) && TryParse(line[(space + 1)..], out var value))
                return value;
        }
        return null;
    }

    /// <summary>A single-number file; "max" (v2) and null for absent files give null.</summary>
    public static long? Number(CgroupFiles files, string path)
    {
        if (!files.FileExists(path)) return null;
        return TryParse(files.ReadText(path), out var value) ? value : null;
    }

    public static bool TryParse(string text, out long value) =>
        long.TryParse(text.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);

    public static string Format(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>Validates values common to both versions before anything is written (0 means unset, as in Docker).</summary>
    public static void Validate(CgroupResources r, string path)
    {
        static CgroupException Invalid(string path, string message) => new(CgroupErrorKind.InvalidArgument, path, message);
        if (r.MemoryLimit is < -1) throw Invalid(path, $"memory limit {r.MemoryLimit} must be positive or -1 (unlimited)");
        if (r.MemorySwap is < -1) throw Invalid(path, $"memory+swap limit {r.MemorySwap} must be positive or -1 (unlimited)");
        if (r.MemoryLimit is { } m and > 0 && r.MemorySwap is { } s and > 0 && s < m)
            throw Invalid(path, $"memory+swap limit {s} must be at least the memory limit {m}");
        if (r.CpuShares is < 0) throw Invalid(path, $"cpu shares {r.CpuShares} must not be negative");
        if (r.CpuQuota is < -1) throw Invalid(path, $"cpu quota {r.CpuQuota} must be positive or -1 (unlimited)");
        if (r.CpuPeriod is < 0) throw Invalid(path, $"cpu period {r.CpuPeriod} must be positive");
    }

    /// <summary>Treats Docker's 0 ("not set") like null.</summary>
    public static long? Set(long? value) => value is null or 0 ? null : value;
}
