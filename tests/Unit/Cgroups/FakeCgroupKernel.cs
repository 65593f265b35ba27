using ContainerPS.Runtime.Cgroups;

namespace ContainerPS.Tests.Unit.Cgroups;

/// <summary>
/// A cgroup "kernel" over a temp directory, for logic tests without root: it builds v1 / hybrid /
/// v2 trees with a matching mountinfo file, populates control files on mkdir as the kernel does,
/// applies the kernel rules the managers depend on (empty cpuset refuses tasks with ENOSPC,
/// memory.limit_in_bytes above memsw is EINVAL, cpu.shares clamps, a busy cgroup refuses
/// rmdir with EBUSY, v2 files exist only for controllers enabled in the parent), and records
/// every write in order.
/// </summary>
internal sealed class FakeCgroupKernel : CgroupFiles, IDisposable
{
    public const string Unlimited = "9223372036854771712";

    private static readonly string[] V1Core = { "cgroup.procs", "tasks", "cgroup.clone_children", "notify_on_release" };

    private static readonly Dictionary<string, string[]> V1Files = new()
    {
        ["cpuset"] = new[] { "cpuset.cpus", "cpuset.mems" },
        ["cpu"] = new[] { "cpu.shares", "cpu.cfs_quota_us", "cpu.cfs_period_us", "cpu.stat" },
        ["cpuacct"] = new[] { "cpuacct.usage", "cpuacct.stat" },
        ["memory"] = new[] { "memory.limit_in_bytes", "memory.memsw.limit_in_bytes", "memory.usage_in_bytes", "memory.max_usage_in_bytes", "memory.oom_control", "memory.stat" },
        ["pids"] = new[] { "pids.max", "pids.current" },
        ["freezer"] = new[] { "freezer.state" },
        ["blkio"] = new[] { "blkio.throttle.io_service_bytes", "blkio.throttle.io_service_bytes_recursive" },
        ["devices"] = new[] { "devices.list", "devices.allow", "devices.deny" },
    };

    private static readonly Dictionary<string, string> Defaults = new()
    {
        ["cpu.shares"] = "1024", ["cpu.cfs_quota_us"] = "-1", ["cpu.cfs_period_us"] = "100000",
        ["memory.limit_in_bytes"] = Unlimited, ["memory.memsw.limit_in_bytes"] = Unlimited,
        ["memory.usage_in_bytes"] = "0", ["memory.oom_control"] = "oom_kill_disable 0\nunder_oom 0\noom_kill 0\n",
        ["pids.max"] = "max", ["pids.current"] = "0", ["freezer.state"] = "THAWED", ["cpuacct.usage"] = "0",
        ["cgroup.events"] = "populated 0\nfrozen 0\n", ["cgroup.freeze"] = "0", ["memory.max"] = "max",
        ["memory.swap.max"] = "max", ["cpu.weight"] = "100", ["cpu.max"] = "max 100000", ["memory.events"] = "low 0\nhigh 0\nmax 0\noom 0\noom_kill 0\n",
        ["cpu.stat"] = "usage_usec 0\nuser_usec 0\nsystem_usec 0\n",
    };

    private static readonly Dictionary<string, string[]> V2Files = new()
    {
        ["cpuset"] = new[] { "cpuset.cpus", "cpuset.mems" },
        ["cpu"] = new[] { "cpu.weight", "cpu.max" },
        ["io"] = new[] { "io.stat" },
        ["memory"] = new[] { "memory.max", "memory.swap.max", "memory.current", "memory.peak", "memory.events", "memory.stat" },
        ["pids"] = new[] { "pids.max", "pids.current" },
    };

    private readonly bool _v2;
    private readonly Dictionary<string, string> _v1HierarchyOf = new(StringComparer.Ordinal); // mount dir -> "cpu,cpuacct"

    private FakeCgroupKernel(bool v2)
    {
        _v2 = v2;
        Base = Path.Combine(Path.GetTempPath(), "cps-cgfake-" + Guid.NewGuid().ToString("N"));
        Root = Path.Combine(Base, "sys", "fs", "cgroup");
        Directory.CreateDirectory(Root);
    }

    public string Base { get; }
    public string Root { get; }
    public string MountInfo => Path.Combine(Base, "mountinfo");
    public List<(string Path, string Value)> Writes { get; } = new();

    /// <summary>When set, the freezer sticks at this state instead of reaching FROZEN / frozen 1.</summary>
    public bool FreezeSticks { get; set; }

    /// <summary>rmdir of a path in here fails with EBUSY this many more times.</summary>
    public Dictionary<string, int> BusyCount { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// A v1 tree; <paramref name="hierarchies"/> lists mounts such as "cpu,cpuacct" (co-mounted) or
    /// "memory"; with <paramref name="hybrid"/> a cgroup2 mount at unified/ offering hugetlb.
    /// </summary>
    public static FakeCgroupKernel V1(bool hybrid = true, bool swapAccounting = true, params string[] hierarchies)
    {
        if (hierarchies.Length == 0)
            hierarchies = new[] { "blkio", "cpu", "cpuacct", "cpuset", "devices", "freezer", "memory", "pids" };
        var k = new FakeCgroupKernel(v2: false);
        var lines = new List<string> { $"31 23 0:28 / {k.Root} rw,relatime - tmpfs tmpfs rw,mode=755" };
        var id = 32;
        foreach (var h in hierarchies)
        {
            var dir = Path.Combine(k.Root, h);
            Directory.CreateDirectory(dir);
            k._v1HierarchyOf[dir] = h;
            foreach (var file in V1Core.Concat(h.Split(',').SelectMany(c => V1Files.GetValueOrDefault(c) ?? Array.Empty<string>())))
            {
                if (!swapAccounting && file.StartsWith("memory.memsw.", StringComparison.Ordinal)) continue;
                File.WriteAllText(Path.Combine(dir, file), Defaults.GetValueOrDefault(file, ""));
            }
            if (h.Split(',').Contains("cpuset"))
            {
                File.WriteAllText(Path.Combine(dir, "cpuset.cpus"), "0-3\n");
                File.WriteAllText(Path.Combine(dir, "cpuset.mems"), "0\n");
            }
            lines.Add($"{id} 31 0:{id - 3} / {dir} rw,nosuid,nodev,noexec,relatime shared:{id} - cgroup cgroup rw,{h}");
            id++;
        }
        var systemd = Path.Combine(k.Root, "systemd");
        Directory.CreateDirectory(systemd);
        k._v1HierarchyOf[systemd] = "name=systemd";
        foreach (var file in V1Core) File.WriteAllText(Path.Combine(systemd, file), "");
        lines.Add($"{id++} 31 0:{id} / {systemd} rw,nosuid,nodev,noexec,relatime - cgroup cgroup rw,xattr,name=systemd");
        if (hybrid)
        {
            var unified = Path.Combine(k.Root, "unified");
            Directory.CreateDirectory(unified);
            File.WriteAllText(Path.Combine(unified, "cgroup.controllers"), "hugetlb\n");
            File.WriteAllText(Path.Combine(unified, "cgroup.subtree_control"), "");
            File.WriteAllText(Path.Combine(unified, "cgroup.procs"), "");
            lines.Add($"{id} 31 0:{id} / {unified} rw,nosuid,nodev,noexec,relatime - cgroup2 cgroup2 rw,nsdelegate");
        }
        File.WriteAllText(k.MountInfo, string.Join('\n', lines) + "\n");
        return k;
    }

    /// <summary>A unified tree whose root offers <paramref name="controllers"/>.</summary>
    public static FakeCgroupKernel V2(string controllers = "cpuset cpu io memory hugetlb pids")
    {
        var k = new FakeCgroupKernel(v2: true);
        File.WriteAllText(Path.Combine(k.Root, "cgroup.controllers"), controllers + "\n");
        File.WriteAllText(Path.Combine(k.Root, "cgroup.subtree_control"), "");
        File.WriteAllText(Path.Combine(k.Root, "cgroup.procs"), "1\n");
        File.WriteAllText(Path.Combine(k.Root, "cpu.stat"), Defaults["cpu.stat"]);
        File.WriteAllText(k.MountInfo, $"30 23 0:26 / {k.Root} rw,nosuid,nodev,noexec,relatime shared:4 - cgroup2 cgroup2 rw,nsdelegate,memory_recursiveprot\n");
        return k;
    }

    public CgroupInfo Detect() => CgroupDetector.Detect(Root, MountInfo, this);

    public string Read(string relative) => File.ReadAllText(Path.Combine(Root, relative)).Trim();

    public void Put(string relative, string content) => File.WriteAllText(Path.Combine(Root, relative), content);

    public override bool CreateDirectory(string path)
    {
        if (!base.CreateDirectory(path)) return false;
        var parent = Path.GetDirectoryName(path)!;
        if (_v2)
        {
            var enabled = File.ReadAllText(Path.Combine(parent, "cgroup.subtree_control")).Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            File.WriteAllText(Path.Combine(path, "cgroup.controllers"), string.Join(' ', enabled) + "\n");
            foreach (var file in new[] { "cgroup.procs", "cgroup.subtree_control", "cgroup.events", "cgroup.freeze", "cpu.stat" }
                         .Concat(enabled.SelectMany(c => V2Files.GetValueOrDefault(c) ?? Array.Empty<string>())))
                File.WriteAllText(Path.Combine(path, file), Defaults.GetValueOrDefault(file, ""));
        }
        else
        {
            // Same control files as the parent; cpuset.cpus/mems start empty (clone_children = 0).
            foreach (var file in Directory.GetFiles(parent))
            {
                var name = Path.GetFileName(file);
                File.WriteAllText(Path.Combine(path, name), Defaults.GetValueOrDefault(name, ""));
            }
        }
        return true;
    }

    public override void RemoveDirectory(string path)
    {
        if (!Directory.Exists(path)) throw new CgroupException("rmdir", path, 2 /* ENOENT */);
        if (BusyCount.TryGetValue(path, out var busy) && busy > 0)
        {
            BusyCount[path] = busy - 1;
            throw new CgroupException("rmdir", path, 16 /* EBUSY */);
        }
        if (Directory.GetDirectories(path).Length > 0 || File.ReadAllText(Path.Combine(path, "cgroup.procs")).Trim().Length > 0)
            throw new CgroupException("rmdir", path, 16 /* EBUSY */);
        foreach (var file in Directory.GetFiles(path)) File.Delete(file);
        base.RemoveDirectory(path);
    }

    public override void WriteText(string path, string value)
    {
        var name = Path.GetFileName(path);
        var dir = Path.GetDirectoryName(path)!;
        if (!File.Exists(path)) throw new CgroupException("open", path, 2 /* ENOENT */);
        Writes.Add((path, value));
        switch (name)
        {
            case "cgroup.procs":
                if (!_v2 && HierarchyOf(path).Split(',').Contains("cpuset") && File.ReadAllText(Path.Combine(dir, "cpuset.cpus")).Trim().Length == 0)
                    throw new CgroupException("write", path, 28 /* ENOSPC */);
                File.AppendAllText(path, value + "\n");
                return;
            case "memory.limit_in_bytes" when long.Parse(value) > ReadLong(Path.Combine(dir, "memory.memsw.limit_in_bytes"), long.MaxValue):
            case "memory.memsw.limit_in_bytes" when value != "-1" && long.Parse(value) < ReadLong(Path.Combine(dir, "memory.limit_in_bytes"), 0):
                throw new CgroupException("write", path, 22 /* EINVAL */);
            case "memory.limit_in_bytes" or "memory.memsw.limit_in_bytes" when value == "-1":
                base.WriteText(path, Unlimited);
                return;
            case "cpu.shares":
                base.WriteText(path, Math.Clamp(long.Parse(value), 2, 262144).ToString());
                return;
            case "freezer.state":
                base.WriteText(path, FreezeSticks && value == "FROZEN" ? "FREEZING" : value);
                return;
            case "cgroup.freeze":
                base.WriteText(path, value);
                if (!FreezeSticks || value == "0") File.WriteAllText(Path.Combine(dir, "cgroup.events"), $"populated 1\nfrozen {value}\n");
                return;
            case "cgroup.subtree_control":
                var current = File.ReadAllText(path).Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
                var offered = File.ReadAllText(Path.Combine(dir, "cgroup.controllers")).Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                foreach (var token in value.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                {
                    if (!offered.Contains(token[1..])) throw new CgroupException("write", path, 2 /* ENOENT */);
                    if (token[0] == '+' && !current.Contains(token[1..])) current.Add(token[1..]);
                    if (token[0] == '-') current.Remove(token[1..]);
                }
                base.WriteText(path, string.Join(' ', current) + "\n");
                return;
            default:
                base.WriteText(path, value);
                return;
        }
    }

    private string HierarchyOf(string path) =>
        _v1HierarchyOf.FirstOrDefault(h => path.StartsWith(h.Key + "/", StringComparison.Ordinal)).Value ?? "";

    private static long ReadLong(string path, long fallback) =>
        File.Exists(path) && long.TryParse(File.ReadAllText(path).Trim(), out var v) ? v : fallback;

    public void Dispose()
    {
        try { Directory.Delete(Base, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
