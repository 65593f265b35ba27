namespace ContainerPS.Runtime.Cgroups;

/// <summary>
/// A container cgroup on the unified (v2) hierarchy: one directory, with the available
/// controllers enabled in every ancestor's cgroup.subtree_control on the way down.
/// Device rules (<see cref="CgroupResources.Devices"/>) become a BPF_CGROUP_DEVICE program
/// attached to the cgroup (<see cref="DeviceFilterProgram"/>): v2 has no devices files.
/// </summary>
public sealed class CgroupV2Manager : ICgroupManager
{
    /// <summary>Controllers delegated to container cgroups when the parent offers them.</summary>
    private static readonly string[] Wanted = { "cpuset", "cpu", "io", "memory", "pids", "hugetlb", "rdma", "misc" };

    private readonly CgroupFiles _files;
    private readonly string _mountPoint;

    /// <param name="info">A V2 layout from <see cref="CgroupDetector"/>.</param>
    /// <param name="path">The cgroup path below the root, e.g. "/containerps/abc".</param>
    /// <param name="files">The file seam; the real file system by default.</param>
    public CgroupV2Manager(CgroupInfo info, string path, CgroupFiles? files = null)
    {
        if (info.Mode != CgroupMode.V2 || info.UnifiedMountPoint is null)
            throw new CgroupException(CgroupErrorKind.NotSupported, info.Root, $"cgroup v2 manager needs unified mode; {info.Root} is {info.Mode}");
        _files = files ?? CgroupFiles.Default;
        _mountPoint = info.UnifiedMountPoint;
        Path = path;
        Directory = CgroupTree.Join(_mountPoint, path);
    }

    public string Path { get; }

    public CgroupMode Mode => CgroupMode.V2;

    /// <summary>The container's cgroup directory.</summary>
    public string Directory { get; }

    public IReadOnlyList<string> Directories => new[] { Directory };

    public bool Exists => _files.DirectoryExists(Directory);

    public void Create() => CgroupTree.EnsureLevels(_files, _mountPoint, Path, beforeLevel: (parent, _) => EnableControllers(parent));

    /// <summary>
    /// Enables each wanted controller the parent offers, one write per controller so one refusal
    /// (e.g. cpu while a realtime task sits in the parent) does not cost the others. A controller
    /// left disabled shows up as a clear NotSupported error from <see cref="Apply"/> if it is needed.
    /// </summary>
    private void EnableControllers(string parent)
    {
        var available = Words(parent + "/cgroup.controllers");
        var enabled = Words(parent + "/cgroup.subtree_control");
        foreach (var controller in Wanted)
        {
            if (!available.Contains(controller) || enabled.Contains(controller)) continue;
            try
            {
                _files.WriteText(parent + "/cgroup.subtree_control", "+" + controller);
            }
            catch (CgroupException e) when (e.Kind == CgroupErrorKind.Syscall && e.Errno != Errnos.ENOENT)
            {
            }
        }
    }

    private HashSet<string> Words(string file) =>
        _files.FileExists(file)
            ? new HashSet<string>(_files.ReadText(file).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries), StringComparer.Ordinal)
            : new HashSet<string>(StringComparer.Ordinal);

    /// <summary>runc's conversion of cpu.shares (2..262144) onto cpu.weight (1..10000).</summary>
    public static long SharesToWeight(long shares) => shares == 0 ? 0 : 1 + ((shares - 2) * 9999) / 262142;

    public void Apply(CgroupResources resources)
    {
        CgroupTree.Validate(resources, Path);
        var memory = CgroupTree.Set(resources.MemoryLimit);
        var swap = CgroupTree.Set(resources.MemorySwap);
        if (memory is { } m) _files.WriteText(Require("memory.max", "memory", "a memory limit"), Max(m));
        if (swap is { } s)
        {
            // v2 limits swap alone while Docker's value is memory+swap: swap.max = memoryswap - memory.
            long swapOnly;
            if (s == -1) swapOnly = -1;
            else if (memory is not { } limit || limit == -1)
                throw new CgroupException(CgroupErrorKind.InvalidArgument, Path, "a memory+swap limit needs a memory limit on cgroup v2");
            else swapOnly = s - limit;
            var swapFile = Directory + "/memory.swap.max";
            if (_files.FileExists(swapFile)) _files.WriteText(swapFile, Max(swapOnly)); // absent without swap accounting
        }

        if (CgroupTree.Set(resources.CpuShares) is { } shares)
            _files.WriteText(Require("cpu.weight", "cpu", "cpu shares"), CgroupTree.Format(SharesToWeight(shares)));

        var quota = CgroupTree.Set(resources.CpuQuota);
        var period = CgroupTree.Set(resources.CpuPeriod);
        if (quota is not null || period is not null)
        {
            // "max" alone keeps the current period, as runc writes it.
            var value = quota is > 0 ? CgroupTree.Format(quota.Value) : "max";
            if (period is { } p) value += " " + CgroupTree.Format(p);
            _files.WriteText(Require("cpu.max", "cpu", "cpu quota/period"), value);
        }

        if (resources.PidsLimit is { } pids)
            _files.WriteText(Require("pids.max", "pids", "a pids limit"), pids <= 0 ? "max" : CgroupTree.Format(pids));

        // Before the init joins (the monitor applies limits first): nothing in the container
        // ever opens a device unfiltered.
        if (resources.Devices is { Count: > 0 } devices)
            _files.AttachDeviceFilter(Directory, DeviceFilterProgram.Compile(devices));
    }

    private static string Max(long value) => value == -1 ? "max" : CgroupTree.Format(value);

    private string Require(string file, string controller, string what)
    {
        var path = Directory + "/" + file;
        if (_files.FileExists(path)) return path;
        throw new CgroupException(CgroupErrorKind.NotSupported, path,
            _files.DirectoryExists(Directory)
                ? $"cannot apply {what}: the {controller} controller is not enabled for {Directory}"
                : $"cannot apply {what}: {Directory} does not exist (Create first)");
    }

    public void AddProcess(int pid) => _files.WriteText(Directory + "/cgroup.procs", CgroupTree.Format(pid));

    /// <summary>None: a v2 domain cgroup takes whole processes only (cgroup.threads is for threaded cgroups).</summary>
    public IReadOnlyList<string> SelfJoinFiles => Array.Empty<string>();

    public bool HasHierarchiesBeyondSelfJoin => true;

    public void AddProcessBeyondSelfJoin(int pid) => AddProcess(pid);

    public long? OomKills() => CgroupTree.FlatKeyed(_files, Directory + "/memory.events", "oom_kill");

    public void Freeze(TimeSpan? timeout = null)
    {
        var freeze = RequireFreezer();
        _files.WriteText(freeze, "1");
        var limit = timeout ?? CgroupTree.DefaultFreezeTimeout;
        if (CgroupTree.WaitUntil(_ => Frozen() == 1, limit)) return;
        _files.WriteText(freeze, "0");
        throw new CgroupException(CgroupErrorKind.Timeout, freeze, $"{Path} did not freeze within {limit.TotalSeconds:0.###} s; thawed it again");
    }

    public void Thaw(TimeSpan? timeout = null)
    {
        var freeze = RequireFreezer();
        _files.WriteText(freeze, "0");
        if (!CgroupTree.WaitUntil(_ => Frozen() == 0, timeout ?? CgroupTree.DefaultFreezeTimeout))
            throw new CgroupException(CgroupErrorKind.Timeout, freeze, $"{Path} did not thaw");
    }

    private long? Frozen() => CgroupTree.FlatKeyed(_files, Directory + "/cgroup.events", "frozen");

    private string RequireFreezer()
    {
        var path = Directory + "/cgroup.freeze";
        if (_files.FileExists(path)) return path;
        throw new CgroupException(CgroupErrorKind.NotSupported, path,
            _files.DirectoryExists(Directory) ? "the cgroup v2 freezer needs Linux 5.2 or later" : $"{Directory} does not exist");
    }

    public CgroupStats GetStats()
    {
        var usageUsec = CgroupTree.FlatKeyed(_files, Directory + "/cpu.stat", "usage_usec");
        var (read, written) = IoBytes();
        return new CgroupStats
        {
            CpuUsageNanoseconds = usageUsec * 1000,
            MemoryUsage = CgroupTree.Number(_files, Directory + "/memory.current"),
            MemoryInactiveFile = CgroupTree.FlatKeyed(_files, Directory + "/memory.stat", "inactive_file"),
            MemoryLimit = CgroupTree.Number(_files, Directory + "/memory.max"),
            MemoryMaxUsage = CgroupTree.Number(_files, Directory + "/memory.peak"),
            OomKills = CgroupTree.FlatKeyed(_files, Directory + "/memory.events", "oom_kill"),
            PidsCurrent = CgroupTree.Number(_files, Directory + "/pids.current"),
            PidsLimit = CgroupTree.Number(_files, Directory + "/pids.max"),
            BlockReadBytes = read,
            BlockWriteBytes = written,
        };
    }

    // "8:0 rbytes=1 wbytes=2 rios=3 wios=4 dbytes=0 dios=0" per device.
    private (long?, long?) IoBytes()
    {
        var file = Directory + "/io.stat";
        if (!_files.FileExists(file)) return (null, null);
        long read = 0, written = 0;
        foreach (var line in _files.ReadText(file).Split('\n'))
        {
            foreach (var field in line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                if (field.StartsWith("rbytes=", StringComparison.Ordinal) && CgroupTree.TryParse(field[7..], out var r)) read += r;
                else if (field.StartsWith("wbytes=", StringComparison.Ordinal) && CgroupTree.TryParse(field[7..], out var w)) written += w;
            }
        }
        return (read, written);
    }

    public IReadOnlyList<int> Processes() =>
        _files.DirectoryExists(Directory) ? CgroupTree.Processes(_files, Directory) : Array.Empty<int>();

    public void Destroy(TimeSpan? timeout = null) =>
        CgroupTree.RemoveTree(_files, Directory, DateTime.UtcNow + (timeout ?? CgroupTree.DefaultDestroyTimeout));
}
