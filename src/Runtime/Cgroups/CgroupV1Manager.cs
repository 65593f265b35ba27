namespace ContainerPS.Runtime.Cgroups;

/// <summary>
/// A container cgroup on v1 hierarchies (legacy and hybrid mode), like runc's cgroupfs driver:
/// one directory per mounted hierarchy of cpuset, cpu, cpuacct, memory, pids, freezer, blkio,
/// devices and name=systemd (co-mounted controllers share a directory). In hybrid mode the
/// process is also placed in the cgroup2 tree, as runc does, so cgroup2-only controllers and
/// tools see it. Device rules go to the devices hierarchy's devices.deny / devices.allow, one write each.
/// </summary>
public sealed class CgroupV1Manager : ICgroupManager
{
    /// <summary>Hierarchies joined, in creation order: cpuset first, since no task can join an empty cpuset.</summary>
    private static readonly string[] Joined =
        { "cpuset", "cpu", "cpuacct", "memory", "pids", "freezer", "blkio", "devices", "name=systemd" };

    /// <summary>Where cgroup.procs is read for <see cref="Processes"/>: every hierarchy holds the same tasks.</summary>
    private static readonly string[] ProcessSources =
        { "pids", "memory", "freezer", "cpu", "cpuacct", "cpuset", "blkio", "devices", "name=systemd" };

    private readonly CgroupFiles _files;
    private readonly Dictionary<string, string> _dirByController = new(StringComparer.Ordinal);
    private readonly List<(string MountPoint, string Dir, bool IsCpuset)> _hierarchies = new();
    private readonly (string MountPoint, string Dir)? _unified;

    /// <param name="info">A V1 or Hybrid layout from <see cref="CgroupDetector"/>.</param>
    /// <param name="path">The cgroup path below each hierarchy root, e.g. "/containerps/abc".</param>
    /// <param name="files">The file seam; the real file system by default.</param>
    /// <exception cref="CgroupException">The path is not absolute or contains . or ..; the layout has no v1 hierarchies.</exception>
    public CgroupV1Manager(CgroupInfo info, string path, CgroupFiles? files = null)
    {
        if (info.Mode is not (CgroupMode.V1 or CgroupMode.Hybrid))
            throw new CgroupException(CgroupErrorKind.NotSupported, info.Root, $"cgroup v1 manager needs v1 or hybrid mode; {info.Root} is {info.Mode}");
        _files = files ?? CgroupFiles.Default;
        Path = path;
        Mode = info.Mode;
        foreach (var controller in Joined)
        {
            var mount = info.V1MountOf(controller);
            if (mount is null) continue;
            var dir = CgroupTree.Join(mount.MountPoint, path);
            _dirByController[controller] = dir;
            if (!_hierarchies.Exists(h => h.Dir == dir))
                _hierarchies.Add((mount.MountPoint, dir, mount.Controllers.Contains("cpuset")));
        }
        if (info.Mode == CgroupMode.Hybrid && info.UnifiedMountPoint is { } unified)
            _unified = (unified, CgroupTree.Join(unified, path));
    }

    public string Path { get; }

    public CgroupMode Mode { get; }

    public IReadOnlyList<string> Directories =>
        _hierarchies.Select(h => h.Dir).Concat(_unified is { } u ? new[] { u.Dir } : Array.Empty<string>()).ToArray();

    /// <summary>The container's directory in the hierarchy holding <paramref name="controller"/> ("memory", "name=systemd"), or null when not mounted.</summary>
    public string? DirectoryOf(string controller) => _dirByController.GetValueOrDefault(controller);

    /// <summary>The container's directory in the cgroup2 tree in hybrid mode, else null.</summary>
    public string? UnifiedDirectory => _unified?.Dir;

    public bool Exists => Directories.Any(_files.DirectoryExists);

    public void Create()
    {
        foreach (var (mountPoint, _, isCpuset) in _hierarchies)
            CgroupTree.EnsureLevels(_files, mountPoint, Path, afterLevel: isCpuset ? CopyCpusetFromParent : null);
        if (_unified is { } u) CgroupTree.EnsureLevels(_files, u.MountPoint, Path);
    }

    /// <summary>
    /// A new v1 cpuset starts with empty cpuset.cpus and cpuset.mems (unless the parent sets
    /// cgroup.clone_children), and joining it then fails with ENOSPC: inherit the parent's.
    /// </summary>
    private void CopyCpusetFromParent(string parent, string dir)
    {
        foreach (var name in new[] { "cpuset.cpus", "cpuset.mems" })
        {
            var file = dir + "/" + name;
            if (!_files.FileExists(file) || _files.ReadText(file).Trim().Length > 0) continue;
            _files.WriteText(file, _files.ReadText(parent + "/" + name).Trim());
        }
    }

    public void Apply(CgroupResources resources)
    {
        CgroupTree.Validate(resources, Path);
        ApplyMemory(CgroupTree.Set(resources.MemoryLimit), CgroupTree.Set(resources.MemorySwap));

        if (CgroupTree.Set(resources.CpuShares) is { } shares)
        {
            var file = Require("cpu", "cpu shares") + "/cpu.shares";
            _files.WriteText(file, CgroupTree.Format(shares));
            // The kernel clamps to 2..262144 without an error: report it rather than run with another value.
            var effective = CgroupTree.Number(_files, file);
            if (effective != shares)
                throw new CgroupException(CgroupErrorKind.InvalidArgument, file, $"cpu shares {shares} out of range: the kernel set {effective} (allowed 2..262144)");
        }

        var quota = CgroupTree.Set(resources.CpuQuota);
        var period = CgroupTree.Set(resources.CpuPeriod);
        if (quota is not null || period is not null)
        {
            var dir = Require("cpu", "cpu quota/period");
            var periodPending = false;
            if (period is { } p)
            {
                try
                {
                    _files.WriteText(dir + "/cpu.cfs_period_us", CgroupTree.Format(p));
                }
                catch (CgroupException e) when (e.Errno == Errnos.EINVAL && quota is not null)
                {
                    // A shorter period can exceed the parent's bandwidth with the old quota (runc does
                    // the same dance): set the quota first, then the period again.
                    periodPending = true;
                }
            }
            if (quota is { } q) _files.WriteText(dir + "/cpu.cfs_quota_us", CgroupTree.Format(q));
            if (periodPending) _files.WriteText(dir + "/cpu.cfs_period_us", CgroupTree.Format(period!.Value));
        }

        if (resources.PidsLimit is { } pids)
            _files.WriteText(Require("pids", "a pids limit") + "/pids.max", pids <= 0 ? "max" : CgroupTree.Format(pids));

        if (resources.Devices is { } devices) ApplyDevices(devices);
    }

    /// <summary>
    /// Writes each rule, in order, to devices.allow or devices.deny: the kernel keeps a default
    /// ("a" resets it and clears the exceptions) plus exceptions that allows add and denies take
    /// back, which is what runc's v1 driver produces too. Done before the init joins, so nothing in
    /// the container ever opens a device under the parent's allow-all (e.g. mknod of the host's
    /// disk with the default CAP_MKNOD, then reading it).
    /// </summary>
    private void ApplyDevices(IReadOnlyList<DeviceRule> devices)
    {
        if (devices.Count == 0) return;
        var dir = Require("devices", "device rules");
        foreach (var rule in devices)
            _files.WriteText(dir + (rule.Allow ? "/devices.allow" : "/devices.deny"), rule.KernelLine);
    }

    private void ApplyMemory(long? memory, long? swap)
    {
        if (memory is null && swap is null) return;
        var dir = Require("memory", "a memory limit");
        var limitFile = dir + "/memory.limit_in_bytes";
        var swapFile = dir + "/memory.memsw.limit_in_bytes";
        if (!_files.FileExists(swapFile)) swap = null; // no swap accounting (swapaccount=0): memory only, as Docker
        if (memory is { } m && swap is { } s)
        {
            // memory.limit_in_bytes may never exceed memory.memsw.limit_in_bytes: raise swap first when
            // growing, lower memory first when shrinking (the order runc uses).
            var current = CgroupTree.Number(_files, swapFile) ?? long.MaxValue;
            if (s == -1 || current < s)
            {
                _files.WriteText(swapFile, CgroupTree.Format(s));
                _files.WriteText(limitFile, CgroupTree.Format(m));
            }
            else
            {
                _files.WriteText(limitFile, CgroupTree.Format(m));
                _files.WriteText(swapFile, CgroupTree.Format(s));
            }
        }
        else if (memory is { } onlyMemory)
        {
            _files.WriteText(limitFile, CgroupTree.Format(onlyMemory));
        }
        else if (swap is { } onlySwap)
        {
            _files.WriteText(swapFile, CgroupTree.Format(onlySwap));
        }
    }

    private string Require(string controller, string what) =>
        DirectoryOf(controller) ?? throw new CgroupException(CgroupErrorKind.NotSupported, Path,
            $"cannot apply {what}: the {controller} cgroup controller is not mounted");

    public void AddProcess(int pid)
    {
        var text = CgroupTree.Format(pid);
        foreach (var dir in Directories) _files.WriteText(dir + "/cgroup.procs", text);
    }

    public IReadOnlyList<string> SelfJoinFiles => _hierarchies.Select(h => h.Dir + "/tasks").ToArray();

    public bool HasHierarchiesBeyondSelfJoin => _unified is not null;

    /// <summary>Hybrid mode: the unified tree (no limits are set there); nothing in legacy v1 mode.</summary>
    public void AddProcessBeyondSelfJoin(int pid)
    {
        if (_unified is { } u) _files.WriteText(u.Dir + "/cgroup.procs", CgroupTree.Format(pid));
    }

    public long? OomKills() =>
        DirectoryOf("memory") is { } memory ? CgroupTree.FlatKeyed(_files, memory + "/memory.oom_control", "oom_kill") : null;

    public void Freeze(TimeSpan? timeout = null)
    {
        var state = Require("freezer", "a freeze") + "/freezer.state";
        // Re-writing FROZEN makes the kernel retry tasks that were busy (e.g. in vfork) on the last pass.
        var frozen = CgroupTree.WaitUntil(_ =>
        {
            _files.WriteText(state, "FROZEN");
            return _files.ReadText(state).Trim() == "FROZEN";
        }, timeout ?? CgroupTree.DefaultFreezeTimeout);
        if (frozen) return;
        var stuck = _files.ReadText(state).Trim();
        _files.WriteText(state, "THAWED");
        throw new CgroupException(CgroupErrorKind.Timeout, state, $"{Path} did not freeze within {(timeout ?? CgroupTree.DefaultFreezeTimeout).TotalSeconds:0.###} s (state {stuck}); thawed it again");
    }

    public void Thaw(TimeSpan? timeout = null)
    {
        var state = Require("freezer", "a thaw") + "/freezer.state";
        _files.WriteText(state, "THAWED");
        if (!CgroupTree.WaitUntil(_ => _files.ReadText(state).Trim() == "THAWED", timeout ?? CgroupTree.DefaultFreezeTimeout))
            throw new CgroupException(CgroupErrorKind.Timeout, state, $"{Path} did not thaw (state {_files.ReadText(state).Trim()})");
    }

    public CgroupStats GetStats()
    {
        var memory = DirectoryOf("memory");
        var pids = DirectoryOf("pids");
        var cpuacct = DirectoryOf("cpuacct");
        var blkio = DirectoryOf("blkio");
        var (read, written) = blkio is null ? (null, null) : BlockBytes(blkio);
        return new CgroupStats
        {
            CpuUsageNanoseconds = cpuacct is null ? null : CgroupTree.Number(_files, cpuacct + "/cpuacct.usage"),
            MemoryUsage = memory is null ? null : CgroupTree.Number(_files, memory + "/memory.usage_in_bytes"),
            MemoryInactiveFile = memory is null ? null : CgroupTree.FlatKeyed(_files, memory + "/memory.stat", "total_inactive_file"),
            MemoryLimit = memory is null ? null : Limit(CgroupTree.Number(_files, memory + "/memory.limit_in_bytes")),
            MemoryMaxUsage = memory is null ? null : CgroupTree.Number(_files, memory + "/memory.max_usage_in_bytes"),
            OomKills = memory is null ? null : CgroupTree.FlatKeyed(_files, memory + "/memory.oom_control", "oom_kill"),
            PidsCurrent = pids is null ? null : CgroupTree.Number(_files, pids + "/pids.current"),
            PidsLimit = pids is null ? null : CgroupTree.Number(_files, pids + "/pids.max"),
            BlockReadBytes = read,
            BlockWriteBytes = written,
        };
    }

    /// <summary>v1 reports "unlimited" as the largest page-aligned long (9223372036854771712 with 4 KiB pages).</summary>
    private static long? Limit(long? value) => value is { } v && v < long.MaxValue / 2 ? v : null;

    // "8:0 Read 4096" lines per device, then "Total n". The _recursive file includes child cgroups.
    private (long?, long?) BlockBytes(string dir)
    {
        var file = dir + "/blkio.throttle.io_service_bytes_recursive";
        if (!_files.FileExists(file)) file = dir + "/blkio.throttle.io_service_bytes";
        if (!_files.FileExists(file)) return (null, null);
        long read = 0, written = 0;
        foreach (var line in _files.ReadText(file).Split('\n'))
        {
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length != 3 || !CgroupTree.TryParse(fields[2], out var bytes)) continue;
            if (fields[1] == "Read") read += bytes;
            else if (fields[1] == "Write") written += bytes;
        }
        return (read, written);
    }

    public IReadOnlyList<int> Processes()
    {
        foreach (var controller in ProcessSources)
            if (DirectoryOf(controller) is { } dir && _files.DirectoryExists(dir))
                return CgroupTree.Processes(_files, dir);
        return _unified is { } u ? CgroupTree.Processes(_files, u.Dir) : Array.Empty<int>();
    }

    public void Destroy(TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? CgroupTree.DefaultDestroyTimeout);
        foreach (var dir in Directories) CgroupTree.RemoveTree(_files, dir, deadline);
    }
}
