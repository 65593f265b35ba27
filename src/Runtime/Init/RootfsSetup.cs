using ContainerPS.Runtime.Linux;
using static ContainerPS.Runtime.Linux.MountFlags;

namespace ContainerPS.Runtime.Init;

/// <summary>
/// The rootfs half of the container init, after runc's libcontainer/rootfs_linux.go: runs in
/// the container's new mount namespace with the rootfs already mounted at
/// <see cref="RootfsRequest.RootfsPath"/>, and leaves the calling thread inside the rootfs
/// (pivot_root) with /proc, /dev, /sys... mounted, masked and read-only paths applied and the
/// hostname set.
/// </summary>
/// <remarks>
/// Every mount destination is resolved inside the rootfs with <see cref="SecureJoin"/> at the
/// moment it is mounted (an earlier mount or a symlink in the image may have changed what a
/// path names), so a container image cannot point a mount at the host. Unlike runc we mount
/// on the resolved path rather than through an O_PATH /proc/self/fd handle: a concurrent
/// writer inside the rootfs could still swap a component in between (nothing runs in the
/// container yet, but a shared volume could be changed from outside).
/// </remarks>
public sealed class RootfsSetup
{
    /// <summary>nosuid, nodev, noexec: what runc gives the mounts it adds itself.</summary>
    public const ulong DefaultMountFlags = MS_NOEXEC | MS_NOSUID | MS_NODEV;

    private static readonly string[] ValidProcMounts =
    [
        "/proc/cpuinfo", "/proc/diskstats", "/proc/meminfo", "/proc/stat", "/proc/swaps", "/proc/uptime",
        "/proc/loadavg", "/proc/slabinfo", "/proc/net/dev", "/proc/sys/kernel/ns_last_pid",
    ];

    private readonly ISyscalls _sys;
    private readonly RootfsRequest _request;
    private readonly string _root;

    /// <summary>Where each mount of the request ended up, as a path inside the container (for the read-only pass).</summary>
    private readonly List<(string ContainerPath, string Type, ParsedMountOptions Options)> _mounted = [];

    public RootfsSetup(ISyscalls sys, RootfsRequest request)
    {
        _sys = sys;
        _request = request;
        if (!request.RootfsPath.StartsWith('/'))
            throw new ContainerInitException($"rootfs path \"{request.RootfsPath}\" is not absolute");
        _root = SecureJoin.Clean(request.RootfsPath);
        if (_root == "/") throw new ContainerInitException("rootfs path cannot be /");
    }

    /// <summary><see cref="Prepare"/>, <see cref="PivotRoot"/>, then <see cref="Finish"/>.</summary>
    /// <exception cref="ContainerInitException">A step failed; the message names it, the inner <see cref="SyscallError"/> the call.</exception>
    public void Run()
    {
        Prepare();
        PivotRoot();
        Finish();
    }

    /// <summary>
    /// Everything before the pivot: make / a slave (no mount of ours propagates to the host),
    /// bind the rootfs onto itself (pivot_root needs a mount point), make each mount, then
    /// populate /dev (devices, ptmx, fd links) unless /dev is bind-mounted from the host.
    /// </summary>
    public void Prepare()
    {
        Step("preparing rootfs", PrepareRoot);
        foreach (var m in _request.Mounts)
            Step($"mounting \"{m.Source}\" to rootfs at \"{m.Destination}\"", () => MountToRootfs(m));
        if (NeedsSetupDev)
        {
            Step("creating device nodes", CreateDevices);
            Step("setting up ptmx", SetupPtmx);
            Step("setting up /dev symlinks", SetupDevSymlinks);
        }
    }

    /// <summary>
    /// runc's pivotRoot: pivot_root(".", ".") from inside the new root stacks the old root on
    /// top of it without needing a put_old directory; the old root is then made rslave (so the
    /// unmount cannot propagate to the host) and lazily unmounted.
    /// </summary>
    public void PivotRoot() => Step("jailing process inside rootfs", () =>
    {
        _sys.Chdir(_root);
        var flags = OpenFlags.O_DIRECTORY | OpenFlags.O_RDONLY | OpenFlags.O_CLOEXEC;
        var oldRoot = _sys.Open("/", flags, 0);
        try
        {
            var newRoot = _sys.Open(_root, flags, 0);
            try
            {
                _sys.Fchdir(newRoot);
                _sys.PivotRoot(".", ".");
                // "." is now the old root (current kernels), but nothing guarantees it: go there explicitly.
                _sys.Fchdir(oldRoot);
                _sys.Mount(null, ".", null, MS_SLAVE | MS_REC, null);
                _sys.Umount2(".", MNT_DETACH);
            }
            finally
            {
                _sys.Close(newRoot);
            }
        }
        finally
        {
            _sys.Close(oldRoot);
        }
        _sys.Chdir("/");
    });

    /// <summary>
    /// After the pivot (runc's finalizeRootfs, then the rest of standard_init): read-only
    /// remount of tmpfs mounts and /dev that asked for "ro", read-only /, umask 022, hostname,
    /// sysctls, read-only paths, masked paths.
    /// </summary>
    public void Finish()
    {
        if (!string.IsNullOrEmpty(_request.Cwd) && _request.Cwd != "/")
            Step($"creating the working directory \"{_request.Cwd}\"", () => SecureJoin.MkdirAll(_sys, "/", _request.Cwd));
        foreach (var (path, type, options) in _mounted)
        {
            if (options.IsReadOnly && (type == "tmpfs" || path == "/dev"))
                Step($"remounting \"{path}\" as readonly", () => RemountReadonly(path, options.Flags));
        }
        if (_request.ReadonlyRoot) Step("setting rootfs as readonly", SetReadonly);
        _sys.Umask(0x12);
        if (!string.IsNullOrEmpty(_request.Hostname))
            Step("setting hostname", () => _sys.Sethostname(_request.Hostname));
        foreach (var (key, value) in _request.Sysctl)
            Step($"setting sysctl {key}", () => WriteSysctl(key, value));
        foreach (var p in _request.ReadonlyPaths)
            Step($"making \"{p}\" readonly", () => ReadonlyPath(p));
        foreach (var p in _request.MaskedPaths)
            Step($"masking \"{p}\"", () => MaskPath(p));
    }

    private bool NeedsSetupDev => !_request.Mounts.Any(m =>
        MountOptions.Parse(m.Options).IsBind && SecureJoin.Clean(m.Destination) == "/dev");

    private void PrepareRoot()
    {
        var propagation = MS_SLAVE | MS_REC;
        if (!string.IsNullOrEmpty(_request.RootfsPropagation))
        {
            var p = MountOptions.Parse([_request.RootfsPropagation]).Propagation;
            if (p.Count != 1) throw new ContainerInitException($"invalid rootfsPropagation \"{_request.RootfsPropagation}\"");
            propagation = p[0];
        }
        _sys.Mount(null, "/", null, propagation, null);
        RootfsParentMountPrivate(_root);
        _sys.Mount(_root, _root, "bind", MS_BIND | MS_REC, null);
    }

    /// <summary>
    /// Makes the mount holding the rootfs private: pivot_root refuses a shared parent, and a
    /// shared parent would propagate the rootfs bind to other namespaces. EINVAL means "not a
    /// mount point": walk up until one is found (runc's rootfsParentMountPrivate).
    /// </summary>
    private void RootfsParentMountPrivate(string path)
    {
        while (true)
        {
            try
            {
                _sys.Mount(null, path, null, MS_PRIVATE, null);
                return;
            }
            catch (SyscallError e) when (e.Errno == Errno.EINVAL && path != "/")
            {
                var i = path.LastIndexOf('/');
                path = i <= 0 ? "/" : path[..i];
            }
        }
    }

    private void MountToRootfs(MountRequest m)
    {
        var options = MountOptions.Parse(m.Options);
        var destination = SecureJoin.Clean(m.Destination);
        var type = options.IsBind ? "bind" : string.IsNullOrEmpty(m.Type) ? "none" : m.Type;
        if (options.CopyUp) throw new ContainerInitException("mount option \"tmpcopyup\" is not supported by this runtime");
        string host;
        switch (type)
        {
            case "proc":
            case "sysfs":
            {
                // Must be a real directory: mounting proc through a symlink the image planted has
                // been an escape before (CVE-2019-16884, CVE-2019-19921).
                host = SecureJoin.Resolve(_sys, _root, Parent(destination)) + "/" + Name(destination);
                if (_sys.Lstat(host) is { IsDirectory: false })
                    throw new ContainerInitException($"filesystem \"{type}\" must be mounted on ordinary directory");
                SecureJoin.MkdirAll(_sys, _root, destination);
                MountPropagate(m.Source ?? type, host, destination, type, options, options.Data);
                break;
            }
            case "mqueue":
                CheckProcMount(SecureJoin.Resolve(_sys, _root, destination), type);
                host = SecureJoin.MkdirAll(_sys, _root, destination);
                MountPropagate(m.Source ?? type, host, destination, type, options, options.Data);
                break;
            case "tmpfs":
                host = MountTmpfs(m.Source ?? "tmpfs", destination, options);
                break;
            case "bind":
                host = MountBind(m.Source ?? throw new ContainerInitException("bind mount without a source"), destination, options);
                break;
            case "cgroup":
                host = MountCgroup(m.Source, destination, options);
                break;
            default:
                host = SecureJoin.Resolve(_sys, _root, destination);
                CheckProcMount(host, type);
                SecureJoin.MkdirAll(_sys, _root, destination);
                MountPropagate(m.Source ?? type, host, destination, type, options, options.Data);
                break;
        }
        _mounted.Add((ContainerPath(host), type, options));
    }

    private string MountTmpfs(string source, string destination, ParsedMountOptions options)
    {
        var host = SecureJoin.Resolve(_sys, _root, destination);
        // Stricter than runc, which checks only bind and "other" types: a tmpfs over /proc/sys
        // would hide the read-only sysctls just as well.
        CheckProcMount(host, "tmpfs");
        var data = options.Data;
        if (_sys.Stat(host) is { } st)
        {
            // Keep the mode of the directory the tmpfs covers (runc does the same).
            var mode = "mode=" + Convert.ToString(st.Permissions, 8).PadLeft(4, '0');
            data = data.Length == 0 ? mode : mode + "," + data;
        }
        else
        {
            SecureJoin.MkdirAll(_sys, _root, destination);
        }
        MountPropagate(source, host, destination, "tmpfs", options, data);
        return host;
    }

    private string MountBind(string source, string destination, ParsedMountOptions options)
    {
        var st = _sys.Stat(source)
            ?? throw new ContainerInitException($"bind mount source \"{source}\" does not exist",
                new SyscallError("stat", source, Errno.ENOENT));
        var host = SecureJoin.Resolve(_sys, _root, destination);
        CheckProcMount(host, "bind");
        CreateIfNotExists(host, st.IsDirectory);
        MountPropagate(source, host, destination, "bind", options, options.Data);
        // A bind mount ignores every flag but MS_BIND|MS_REC: apply ro, nosuid... by a remount.
        if ((options.Flags & ~(MS_REC | MS_REMOUNT | MS_BIND)) != 0)
            Remount(source, host, options.Flags);
        return host;
    }

    /// <summary>runc's remount: MS_REMOUNT with the mount's flags, retried with MS_RDONLY when the source is itself read-only.</summary>
    private void Remount(string source, string host, ulong flags)
    {
        try
        {
            _sys.Mount(source, host, "bind", flags | MS_REMOUNT, null);
        }
        catch (SyscallError) when ((_sys.StatfsFlags(source) & MS_RDONLY) != 0 && (flags & MS_RDONLY) == 0)
        {
            _sys.Mount(source, host, "bind", flags | MS_REMOUNT | MS_RDONLY, null);
        }
    }

    private void MountPropagate(string source, string host, string destination, string type, ParsedMountOptions options, string data)
    {
        var flags = options.Flags;
        // tmpfs and /dev are filled in first and made read-only in Finish().
        if (type == "tmpfs" || destination == "/dev") flags &= ~MS_RDONLY;
        _sys.Mount(source, host, type, flags, data.Length == 0 ? null : data);
        foreach (var p in options.Propagation) _sys.Mount(null, host, null, p, null);
    }

    private string MountCgroup(string? source, string destination, ParsedMountOptions options)
    {
        var cgroupMounts = ParseMountinfo(_sys.ReadFile("/proc/self/mountinfo"))
            .Where(e => e.FsType is "cgroup" or "cgroup2" && e.MountPoint.StartsWith("/sys/fs/cgroup", StringComparison.Ordinal))
            .ToList();
        if (cgroupMounts.Any(e => e.FsType == "cgroup2" && e.MountPoint == "/sys/fs/cgroup"))
            return MountCgroupV2(source, destination, options);

        // v1 or hybrid (runc's mountCgroupV1 with a cgroup namespace): a tmpfs with one cgroup
        // mount per v1 hierarchy; "cpu,cpuacct"-style hierarchies get per-controller symlinks.
        // Like runc, the hybrid mode's v2 "unified" hierarchy is not mounted in the container.
        var host = MountTmpfs("tmpfs", destination, new ParsedMountOptions(DefaultMountFlags, options.Propagation, "mode=755", false));
        var flags = DefaultMountFlags | (options.Flags & MS_RDONLY);
        var subsystems = cgroupMounts
            .Where(e => e.FsType == "cgroup" && Parent(e.MountPoint) == "/sys/fs/cgroup")
            .Select(e => Name(e.MountPoint)).Distinct().ToList();
        foreach (var sub in subsystems)
        {
            var subHost = SecureJoin.MkdirAll(_sys, _root, destination + "/" + sub);
            var (src, data) = sub == "systemd" ? ("systemd", "name=systemd") : ("cgroup", sub);
            _sys.Mount(src, subHost, "cgroup", flags, data);
        }
        foreach (var sub in subsystems.Where(s => s.Contains(',')))
        {
            foreach (var controller in sub.Split(','))
            {
                try { _sys.Symlink(sub, host + "/" + controller); }
                catch (SyscallError e) when (e.Errno == Errno.EEXIST) { }
            }
        }
        if (options.IsReadOnly)
            _sys.Mount(host, host, "bind", DefaultMountFlags | MS_RDONLY | MS_BIND | MS_REMOUNT, null);
        return host;
    }

    private string MountCgroupV2(string? source, string destination, ParsedMountOptions options)
    {
        var host = SecureJoin.MkdirAll(_sys, _root, destination);
        try
        {
            MountPropagate(source ?? "cgroup", host, destination, "cgroup2", options, options.Data);
        }
        catch (SyscallError e) when (e.Errno is Errno.EPERM or Errno.EBUSY)
        {
            // No cgroup namespace of our own (or a user namespace): bind the host's hierarchy instead, as runc.
            MountBind("/sys/fs/cgroup", destination, options with { Flags = options.Flags | MS_BIND, Data = "" });
        }
        return host;
    }

    /// <summary>
    /// runc's checkProcMount: nothing may be mounted over or inside /proc except proc itself
    /// and the few files lxcfs emulates (CVE-2019-16884).
    /// </summary>
    private void CheckProcMount(string host, string type)
    {
        var proc = _root + "/proc";
        if (!SecureJoin.IsWithin(proc, host)) return;
        if (host == proc)
        {
            if (type == "proc") return;
            throw new ContainerInitException($"\"{host}\" cannot be mounted because it is not of type proc");
        }
        if (ValidProcMounts.Any(v => _root + v == host)) return;
        throw new ContainerInitException($"\"{host}\" cannot be mounted because it is inside /proc");
    }

    private void CreateIfNotExists(string host, bool isDirectory)
    {
        if (_sys.Stat(host) is not null) return;
        var inside = ContainerPath(host);
        if (isDirectory)
        {
            SecureJoin.MkdirAll(_sys, _root, inside);
            return;
        }
        SecureJoin.MkdirAll(_sys, _root, Parent(inside));
        var fd = _sys.Open(host, OpenFlags.O_CREAT | OpenFlags.O_WRONLY | OpenFlags.O_CLOEXEC | OpenFlags.O_NOFOLLOW, 0x1ED);
        _sys.Close(fd);
    }

    private void CreateDevices()
    {
        var devices = DeviceRequest.Defaults
            .Where(d => !_request.Devices.Any(x => x.Path == d.Path))
            .Concat(_request.Devices);
        // Device modes are exact (0666 for /dev/null): no umask while creating them.
        var old = _sys.Umask(0);
        try
        {
            foreach (var d in devices) CreateDeviceNode(d);
        }
        finally
        {
            _sys.Umask(old);
        }
    }

    private void CreateDeviceNode(DeviceRequest d)
    {
        var host = SecureJoin.Resolve(_sys, _root, d.Path);
        if (host == _root) throw new ContainerInitException($"device {d.Path}: mknod over the rootfs");
        SecureJoin.MkdirAll(_sys, _root, Parent(ContainerPath(host)));
        uint type = d.Type switch
        {
            'c' or 'u' => FileStat.S_IFCHR,
            'b' => FileStat.S_IFBLK,
            'p' => FileStat.S_IFIFO,
            _ => throw new ContainerInitException($"{d.Type} is not a valid device type for device {d.Path}"),
        };
        try
        {
            _sys.Mknod(host, type | (d.FileMode & 0xFFF), d.Device);
        }
        catch (SyscallError e) when (e.Errno == Errno.EEXIST)
        {
            return;
        }
        catch (SyscallError e) when (e.Errno is Errno.EPERM or Errno.EACCES)
        {
            // mknod is not allowed (user namespace, or no CAP_MKNOD): bind the host's node instead.
            var fd = _sys.Open(host, OpenFlags.O_CREAT | OpenFlags.O_WRONLY | OpenFlags.O_CLOEXEC | OpenFlags.O_NOFOLLOW, 0);
            _sys.Close(fd);
            _sys.Mount(d.Path, host, "bind", MS_BIND, null);
            return;
        }
        _sys.Lchown(host, d.Uid, d.Gid);
    }

    private void SetupPtmx()
    {
        var ptmx = SecureJoin.Resolve(_sys, _root, "/dev/ptmx");
        if (_sys.Lstat(ptmx) is not null) _sys.Unlink(ptmx);
        _sys.Symlink("pts/ptmx", ptmx);
    }

    private void SetupDevSymlinks()
    {
        var links = new List<(string Target, string Link)>
        {
            ("/proc/self/fd", "/dev/fd"),
            ("/proc/self/fd/0", "/dev/stdin"),
            ("/proc/self/fd/1", "/dev/stdout"),
            ("/proc/self/fd/2", "/dev/stderr"),
        };
        // kcore is optional (CONFIG_PROC_KCORE); link it only where the kernel has it.
        if (_sys.Stat("/proc/kcore") is not null) links.Add(("/proc/kcore", "/dev/core"));
        foreach (var (target, link) in links)
        {
            try { _sys.Symlink(target, SecureJoin.Resolve(_sys, _root, link)); }
            catch (SyscallError e) when (e.Errno == Errno.EEXIST) { }
        }
    }

    private void RemountReadonly(string path, ulong flags)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                _sys.Mount(null, path, null, flags | MS_REMOUNT | MS_RDONLY, null);
                return;
            }
            catch (SyscallError e) when (e.Errno == Errno.EBUSY && attempt < 4)
            {
                Thread.Sleep(100);
            }
        }
    }

    private void SetReadonly()
    {
        const ulong flags = MS_BIND | MS_REMOUNT | MS_RDONLY;
        try
        {
            _sys.Mount(null, "/", null, flags, null);
        }
        catch (SyscallError)
        {
            // Locked flags (nosuid, nodev...) must be repeated on a remount.
            _sys.Mount(null, "/", null, flags | _sys.StatfsFlags("/"), null);
        }
    }

    private void WriteSysctl(string key, string value)
    {
        var path = key.Replace('.', '/');
        if (path.Split('/').Any(p => p is "" or ".." or "."))
            throw new ContainerInitException($"invalid sysctl key \"{key}\"");
        _sys.WriteFile("/proc/sys/" + path, value);
    }

    /// <summary>runc's readonlyPath: bind onto itself, then remount read-only keeping nosuid/nodev/noexec.</summary>
    private void ReadonlyPath(string path)
    {
        try
        {
            _sys.Mount(path, path, null, MS_BIND | MS_REC, null);
        }
        catch (SyscallError e) when (e.Errno == Errno.ENOENT)
        {
            return;
        }
        var locked = _sys.StatfsFlags(path) & (MS_NOSUID | MS_NODEV | MS_NOEXEC);
        _sys.Mount(path, path, null, locked | MS_BIND | MS_REMOUNT | MS_RDONLY, null);
    }

    /// <summary>runc's maskPath: /dev/null over a file, an empty read-only tmpfs over a directory; absent paths are skipped.</summary>
    private void MaskPath(string path)
    {
        try
        {
            _sys.Mount("/dev/null", path, null, MS_BIND, null);
        }
        catch (SyscallError e) when (e.Errno == Errno.ENOENT)
        {
        }
        catch (SyscallError e) when (e.Errno == Errno.ENOTDIR)
        {
            _sys.Mount("tmpfs", path, "tmpfs", MS_RDONLY, null);
        }
    }

    private string ContainerPath(string host) => host == _root ? "/" : host[_root.Length..];

    private static string Parent(string path)
    {
        var i = path.LastIndexOf('/');
        return i <= 0 ? "/" : path[..i];
    }

    private static string Name(string path) => path[(path.LastIndexOf('/') + 1)..];

    private static void Step(string what, Action action)
    {
        try
        {
            action();
        }
        catch (SyscallError e)
        {
            throw new ContainerInitException($"{what}: {e.Message}", e);
        }
        catch (ContainerInitException e)
        {
            throw new ContainerInitException($"{what}: {e.Message}", e.InnerException ?? e);
        }
    }

    private static IEnumerable<(string MountPoint, string FsType)> ParseMountinfo(string text)
    {
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            // "36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 - ext3 /dev/root rw" (proc(5))
            var fields = line.Split(' ');
            var dash = Array.IndexOf(fields, "-");
            if (fields.Length < 5 || dash < 0 || dash + 1 >= fields.Length) continue;
            yield return (Unescape(fields[4]), fields[dash + 1]);
        }
    }

    /// <summary>mountinfo escapes space, tab, newline and backslash as \ooo.</summary>
    private static string Unescape(string s) => s.Contains('\\')
        ? s.Replace("\\040", " ").Replace("\\011", "\t").Replace("\\012", "\n").Replace("\\134", "\\")
        : s;
}
