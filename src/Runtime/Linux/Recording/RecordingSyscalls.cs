namespace ContainerPS.Runtime.Linux.Recording;

/// <summary>
/// <see cref="ISyscalls"/> for unit tests: appends a typed <see cref="SyscallRecord"/> for every
/// call that changes something, keeps a small in-memory file tree so lookups (stat, lstat,
/// readlink) answer consistently with what was created, and fails calls on demand.
/// </summary>
/// <remarks>
/// The tree is keyed by absolute "host" paths. chdir/fchdir/pivot_root are simulated: after
/// pivot_root(".", ".") paths passed in are resolved below the new root, so the records show
/// paths as the init passed them ("/proc/kcore") while lookups see "/rootfs/proc/kcore".
/// Mount targets must exist, as for the kernel (ENOENT otherwise); mkdir needs its parent.
/// </remarks>
public sealed class RecordingSyscalls : ISyscalls
{
    private readonly Dictionary<string, FileStat> _files = new(StringComparer.Ordinal) { ["/"] = FileStat.Directory() };
    private readonly Dictionary<string, string> _links = new(StringComparer.Ordinal);
    private readonly Dictionary<int, string> _fds = [];
    private readonly List<(Predicate<SyscallRecord> Match, int Errno, bool Once)> _failures = [];
    private string _root = "/";
    private string _cwd = "/";
    private int _nextFd = 100;
    private uint _umask = 0x12; // 022

    /// <summary>Every recorded call, in order.</summary>
    public List<SyscallRecord> Calls { get; } = [];

    /// <summary>Contents returned by <see cref="ReadFile"/>, keyed by the path as passed.</summary>
    public Dictionary<string, string> FileContents { get; } = new(StringComparer.Ordinal)
    {
        ["/proc/sys/kernel/cap_last_cap"] = "40\n",
    };

    /// <summary>statfs f_flags by path as passed (0 when absent).</summary>
    public Dictionary<string, ulong> StatfsFlagsByPath { get; } = new(StringComparer.Ordinal);

    /// <summary>The thread's capability sets, as capget reports them (root: everything up to 40).</summary>
    public CapabilitySets Capabilities { get; set; } = new((1UL << 41) - 1, (1UL << 41) - 1, 0);

    /// <summary>The bounding set PR_CAPBSET_READ/DROP work on.</summary>
    public ulong Bounding { get; set; } = (1UL << 41) - 1;

    /// <summary>The recorded calls rendered as strings (what tests compare).</summary>
    public IReadOnlyList<string> Lines => Calls.Select(c => c.ToString()!).ToList();

    /// <summary>Makes calls matching <paramref name="match"/> fail with <paramref name="errno"/> (after being recorded).</summary>
    public RecordingSyscalls Fail(Predicate<SyscallRecord> match, int errno, bool once = false)
    {
        _failures.Add((match, errno, once));
        return this;
    }

    /// <summary>Adds a directory and any missing parents (host path).</summary>
    public RecordingSyscalls AddDirectory(string path, uint perm = 0x1ED)
    {
        var parent = Parent(path);
        if (parent != path && !_files.ContainsKey(parent)) AddDirectory(parent);
        _files[path] = FileStat.Directory(perm);
        return this;
    }

    /// <summary>Adds a file (host path) with the given mode (type bits included or not: regular by default).</summary>
    public RecordingSyscalls AddFile(string path, uint perm = 0x1A4)
    {
        AddDirectory(Parent(path));
        _files[path] = (perm & FileStat.S_IFMT) == 0 ? FileStat.RegularFile(perm) : new FileStat(perm, 0, 0, 0);
        return this;
    }

    /// <summary>Adds a symlink (host path) pointing at <paramref name="target"/>.</summary>
    public RecordingSyscalls AddSymlink(string path, string target)
    {
        AddDirectory(Parent(path));
        _files[path] = FileStat.Symlink();
        _links[path] = target;
        return this;
    }

    /// <summary>Whether the tree has this host path (not following a final symlink).</summary>
    public bool Exists(string hostPath) => _files.ContainsKey(hostPath);

    /// <summary>The entry at this host path, if any.</summary>
    public FileStat? Entry(string hostPath) => _files.TryGetValue(hostPath, out var s) ? s : null;

    public void Mount(string? source, string target, string? fsType, ulong flags, string? data)
    {
        var rec = new MountCall(source, target, fsType, flags, data);
        Record(rec, LinuxSyscalls.MountCallName(source, fsType, flags), target);
        if (Resolve(target, followLast: true) is not { } t || !_files.ContainsKey(t))
            throw new SyscallError(LinuxSyscalls.MountCallName(source, fsType, flags), target, Errno.ENOENT);
        if ((flags & (MountFlags.MS_BIND | MountFlags.MS_REMOUNT)) != MountFlags.MS_BIND || source is null) return;
        if (Resolve(source, true) is not { } s || !_files.TryGetValue(s, out var sourceEntry))
            throw new SyscallError(LinuxSyscalls.MountCallName(source, fsType, flags), target, Errno.ENOENT);
        // As the kernel: a directory binds only onto a directory, a non-directory only onto a non-directory.
        if (sourceEntry.IsDirectory != _files[t].IsDirectory)
            throw new SyscallError(LinuxSyscalls.MountCallName(source, fsType, flags), target, Errno.ENOTDIR);
    }

    public void Umount2(string target, int flags) => Record(new UmountCall(target, flags), "umount2", target);

    public void PivotRoot(string newRoot, string putOld)
    {
        Record(new PivotRootCall(newRoot, putOld), "pivot_root", newRoot);
        _root = Resolve(newRoot, followLast: true) ?? throw new SyscallError("pivot_root", newRoot, Errno.ENOENT);
    }

    public void Chdir(string path)
    {
        Record(new ChdirCall(path), "chdir", path);
        _cwd = RequireDirectory(path, "chdir");
    }

    public void Fchdir(int fd)
    {
        _fds.TryGetValue(fd, out var path);
        Record(new FchdirCall(fd, path), "fchdir", $"fd {fd}");
        _cwd = path ?? throw new SyscallError("fchdir", $"fd {fd}", Errno.EBADF);
    }

    public void Chroot(string path)
    {
        Record(new ChrootCall(path), "chroot", path);
        _root = RequireDirectory(path, "chroot");
    }

    public void Mkdir(string path, uint mode)
    {
        Record(new MkdirCall(path, mode), "mkdir", path);
        Create(path, FileStat.Directory(mode & ~_umask & 0xFFF), "mkdir");
    }

    public void Mknod(string path, uint mode, ulong device)
    {
        Record(new MknodCall(path, mode, device), "mknod", path);
        Create(path, new FileStat(mode & ~_umask, 0, 0, device), "mknod");
    }

    public void Lchown(string path, uint uid, uint gid)
    {
        Record(new LchownCall(path, uid, gid), "lchown", path);
        var p = Resolve(path, followLast: false);
        if (p is null || !_files.TryGetValue(p, out var st)) throw new SyscallError("lchown", path, Errno.ENOENT);
        _files[p] = st with { Uid = uid, Gid = gid };
    }

    public void Symlink(string target, string linkPath)
    {
        Record(new SymlinkCall(target, linkPath), $"symlink {target}", linkPath);
        var p = Create(linkPath, FileStat.Symlink(), $"symlink {target}");
        _links[p] = target;
    }

    public void Unlink(string path)
    {
        Record(new UnlinkCall(path), "unlink", path);
        var p = Resolve(path, followLast: false);
        if (p is null || !_files.TryGetValue(p, out var st)) throw new SyscallError("unlink", path, Errno.ENOENT);
        if (st.IsDirectory) throw new SyscallError("unlink", path, Errno.EISDIR);
        _files.Remove(p);
        _links.Remove(p);
    }

    public int Open(string path, int flags, uint mode)
    {
        var fd = _nextFd++;
        Record(new OpenCall(path, flags, fd), "open", path);
        var p = Resolve(path, followLast: (flags & OpenFlags.O_NOFOLLOW) == 0);
        if (p is null) throw new SyscallError("open", path, Errno.ENOENT);
        if (!_files.TryGetValue(p, out var st))
        {
            if ((flags & OpenFlags.O_CREAT) == 0) throw new SyscallError("open", path, Errno.ENOENT);
            Create(path, FileStat.RegularFile(mode & ~_umask & 0xFFF), "open");
        }
        else if ((flags & OpenFlags.O_DIRECTORY) != 0 && !st.IsDirectory)
        {
            throw new SyscallError("open", path, Errno.ENOTDIR);
        }
        _fds[fd] = p;
        return fd;
    }

    public void Close(int fd)
    {
        Record(new CloseCall(fd), "close", $"fd {fd}");
        if (!_fds.Remove(fd)) throw new SyscallError("close", $"fd {fd}", Errno.EBADF);
    }

    public void Sethostname(string name) => Record(new SethostnameCall(name), "sethostname", name);

    public void Setrlimit(int resource, ulong soft, ulong hard) =>
        Record(new SetrlimitCall(resource, soft, hard), "setrlimit", RlimitResources.Name(resource));

    public int Prctl(int option, ulong arg2 = 0, ulong arg3 = 0, ulong arg4 = 0, ulong arg5 = 0)
    {
        if (option == PrctlOptions.PR_CAPBSET_READ) return (Bounding & (1UL << (int)arg2)) != 0 ? 1 : 0;
        Record(new PrctlCall(option, arg2, arg3, arg4, arg5), $"prctl {PrctlOptions.Name(option)}", arg2.ToString());
        if (option == PrctlOptions.PR_CAPBSET_DROP) Bounding &= ~(1UL << (int)arg2);
        return 0;
    }

    public CapabilitySets Capget() => Capabilities;

    public void Capset(CapabilitySets sets)
    {
        Record(new CapsetCall(sets), "capset", sets.ToString());
        Capabilities = sets;
    }

    public void Setresuid(uint ruid, uint euid, uint suid) =>
        Record(new SetresuidCall(ruid, euid, suid), "setresuid", $"{ruid} {euid} {suid}");

    public void Setresgid(uint rgid, uint egid, uint sgid) =>
        Record(new SetresgidCall(rgid, egid, sgid), "setresgid", $"{rgid} {egid} {sgid}");

    public void Setgroups(IReadOnlyList<uint> gids) =>
        Record(new SetgroupsCall(gids.ToArray()), "setgroups", $"[{string.Join(' ', gids)}]");

    public uint Umask(uint mask)
    {
        Record(new UmaskCall(mask), "umask", null);
        var old = _umask;
        _umask = mask;
        return old;
    }

    public void Execve(string path, IReadOnlyList<string> argv, IReadOnlyList<string> envp) =>
        Record(new ExecveCall(path, argv.ToArray(), envp.ToArray()), "execve", path);

    public FileStat? Stat(string path) =>
        Resolve(path, followLast: true) is { } p && _files.TryGetValue(p, out var st) ? st : null;

    public FileStat? Lstat(string path) =>
        Resolve(path, followLast: false) is { } p && _files.TryGetValue(p, out var st) ? st : null;

    public string Readlink(string path)
    {
        var p = Resolve(path, followLast: false);
        if (p is null || !_files.ContainsKey(p)) throw new SyscallError("readlink", path, Errno.ENOENT);
        return _links.TryGetValue(p, out var t) ? t : throw new SyscallError("readlink", path, Errno.EINVAL);
    }

    public ulong StatfsFlags(string path) => StatfsFlagsByPath.TryGetValue(path, out var f) ? f : 0;

    public void WriteFile(string path, string content)
    {
        Record(new WriteFileCall(path, content), "write", path);
        FileContents[path] = content;
    }

    public string ReadFile(string path) =>
        FileContents.TryGetValue(path, out var c) ? c : throw new SyscallError("open", path, Errno.ENOENT);

    private void Record(SyscallRecord record, string call, string? target)
    {
        Calls.Add(record);
        for (var i = 0; i < _failures.Count; i++)
        {
            var (match, errno, once) = _failures[i];
            if (!match(record)) continue;
            if (once) _failures.RemoveAt(i);
            throw new SyscallError(call, target, errno);
        }
    }

    private string Create(string path, FileStat entry, string call)
    {
        var p = Resolve(path, followLast: false) ?? throw new SyscallError(call, path, Errno.ENOENT);
        if (_files.ContainsKey(p)) throw new SyscallError(call, path, Errno.EEXIST);
        if (!_files.TryGetValue(Parent(p), out var parent)) throw new SyscallError(call, path, Errno.ENOENT);
        if (!parent.IsDirectory) throw new SyscallError(call, path, Errno.ENOTDIR);
        _files[p] = entry;
        return p;
    }

    private string RequireDirectory(string path, string call)
    {
        var p = Resolve(path, followLast: true);
        if (p is null || !_files.TryGetValue(p, out var st)) throw new SyscallError(call, path, Errno.ENOENT);
        if (!st.IsDirectory) throw new SyscallError(call, path, Errno.ENOTDIR);
        return p;
    }

    /// <summary>
    /// The host path a path names for the simulated thread (root and cwd applied, symlinks
    /// followed inside the simulated root), or null when a component is missing on the way.
    /// </summary>
    private string? Resolve(string path, bool followLast)
    {
        var pending = new List<string>();
        string current;
        if (path.StartsWith('/')) current = _root;
        else current = _cwd;
        pending.AddRange(path.Split('/', StringSplitOptions.RemoveEmptyEntries));
        var hops = 0;
        for (var i = 0; i < pending.Count; i++)
        {
            var part = pending[i];
            if (part == ".") continue;
            if (part == "..")
            {
                if (current != _root) current = Parent(current);
                continue;
            }
            var next = current == "/" ? "/" + part : current + "/" + part;
            var last = i == pending.Count - 1;
            if (_links.TryGetValue(next, out var target) && (!last || followLast))
            {
                if (++hops > 40) return null;
                var rest = pending.Skip(i + 1).ToList();
                pending = [.. target.Split('/', StringSplitOptions.RemoveEmptyEntries), .. rest];
                if (target.StartsWith('/')) current = _root;
                i = -1;
                continue;
            }
            if (!last && !_files.ContainsKey(next)) return null;
            current = next;
        }
        return current;
    }

    private static string Parent(string path)
    {
        var i = path.TrimEnd('/').LastIndexOf('/');
        return i <= 0 ? "/" : path[..i];
    }
}
