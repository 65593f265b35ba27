using System.Runtime.InteropServices;
using System.Text;

namespace ContainerPS.Runtime.Linux;

/// <summary>
/// <see cref="ISyscalls"/> on the real kernel, through libc LibraryImports; pivot_root, capget
/// and capset go through syscall(2) with the number for the process architecture.
/// </summary>
public sealed unsafe class LinuxSyscalls : ISyscalls
{
    public static LinuxSyscalls Instance { get; } = new();

    public void Mount(string? source, string target, string? fsType, ulong flags, string? data)
    {
        if (Libc.mount(source, target, fsType, (nuint)flags, data) != 0)
            throw new SyscallError(MountCallName(source, fsType, flags), target, Errno.Last);
    }

    /// <summary>How a mount reads in an error: "mount proc on", "remount", "mount --make-rslave".</summary>
    public static string MountCallName(string? source, string? fsType, ulong flags)
    {
        if ((flags & MountFlags.MS_REMOUNT) != 0) return "remount";
        const ulong propagation = MountFlags.MS_SHARED | MountFlags.MS_SLAVE | MountFlags.MS_PRIVATE | MountFlags.MS_UNBINDABLE;
        if ((flags & propagation) != 0 && string.IsNullOrEmpty(source) && string.IsNullOrEmpty(fsType))
            return $"mount --make-{((flags & MountFlags.MS_REC) != 0 ? "r" : "")}{PropagationName(flags)}";
        if ((flags & MountFlags.MS_MOVE) != 0) return $"mount --move {source} to";
        if ((flags & MountFlags.MS_BIND) != 0) return $"{((flags & MountFlags.MS_REC) != 0 ? "rbind" : "bind")} {source} on";
        return $"mount {(string.IsNullOrEmpty(source) ? fsType : source)} on";
    }

    private static string PropagationName(ulong flags) =>
        (flags & MountFlags.MS_SHARED) != 0 ? "shared"
        : (flags & MountFlags.MS_SLAVE) != 0 ? "slave"
        : (flags & MountFlags.MS_PRIVATE) != 0 ? "private" : "unbindable";

    public void Umount2(string target, int flags) => Check(Libc.umount2(target, flags), "umount2", target);

    public void PivotRoot(string newRoot, string putOld)
    {
        fixed (byte* n = Utf8(newRoot), o = Utf8(putOld))
        {
            if (Libc.syscall((nint)SyscallNumbers.SYS_pivot_root, (nint)n, (nint)o) != 0)
                throw new SyscallError("pivot_root", newRoot == putOld ? newRoot : $"{newRoot} {putOld}", Errno.Last);
        }
    }

    public void Chdir(string path) => Check(Libc.chdir(path), "chdir", path);

    public void Fchdir(int fd) => Check(Libc.fchdir(fd), "fchdir", $"fd {fd}");

    public void Chroot(string path) => Check(Libc.chroot(path), "chroot", path);

    public void Mkdir(string path, uint mode) => Check(Libc.mkdir(path, mode), "mkdir", path);

    public void Mknod(string path, uint mode, ulong device) => Check(Libc.mknod(path, mode, device), "mknod", path);

    public void Lchown(string path, uint uid, uint gid) => Check(Libc.lchown(path, uid, gid), "lchown", path);

    public void Symlink(string target, string linkPath)
    {
        if (Libc.symlink(target, linkPath) != 0)
            throw new SyscallError($"symlink {target}", linkPath, Errno.Last);
    }

    public void Unlink(string path) => Check(Libc.unlink(path), "unlink", path);

    public int Open(string path, int flags, uint mode)
    {
        var fd = Libc.open(path, flags, mode);
        if (fd < 0) throw new SyscallError("open", path, Errno.Last);
        return fd;
    }

    public void Close(int fd) => Check(Libc.close(fd), "close", $"fd {fd}");

    public void Sethostname(string name)
    {
        var bytes = Encoding.UTF8.GetBytes(name);
        fixed (byte* p = bytes)
        {
            if (Libc.sethostname(p, (nuint)bytes.Length) != 0)
                throw new SyscallError("sethostname", name, Errno.Last);
        }
    }

    public void Setrlimit(int resource, ulong soft, ulong hard)
    {
        var rl = new Libc.Rlimit { rlim_cur = soft, rlim_max = hard };
        if (Libc.setrlimit(resource, &rl) != 0)
            throw new SyscallError("setrlimit", $"{RlimitResources.Name(resource)} soft={soft} hard={hard}", Errno.Last);
    }

    public int Prctl(int option, ulong arg2 = 0, ulong arg3 = 0, ulong arg4 = 0, ulong arg5 = 0)
    {
        var r = Libc.prctl(option, (nuint)arg2, (nuint)arg3, (nuint)arg4, (nuint)arg5);
        if (r < 0) throw new SyscallError($"prctl {PrctlOptions.Name(option)}", arg2.ToString(), Errno.Last);
        return r;
    }

    public CapabilitySets Capget()
    {
        var header = new Libc.CapUserHeader { version = Capability._LINUX_CAPABILITY_VERSION_3, pid = 0 };
        var data = stackalloc Libc.CapUserData[Capability._LINUX_CAPABILITY_U32S_3];
        if (Libc.syscall((nint)SyscallNumbers.SYS_capget, (nint)(&header), (nint)data) != 0)
            throw new SyscallError("capget", null, Errno.Last);
        return new CapabilitySets(
            data[0].effective | ((ulong)data[1].effective << 32),
            data[0].permitted | ((ulong)data[1].permitted << 32),
            data[0].inheritable | ((ulong)data[1].inheritable << 32));
    }

    public void Capset(CapabilitySets sets)
    {
        var header = new Libc.CapUserHeader { version = Capability._LINUX_CAPABILITY_VERSION_3, pid = 0 };
        var data = stackalloc Libc.CapUserData[Capability._LINUX_CAPABILITY_U32S_3];
        data[0] = new Libc.CapUserData { effective = (uint)sets.Effective, permitted = (uint)sets.Permitted, inheritable = (uint)sets.Inheritable };
        data[1] = new Libc.CapUserData { effective = (uint)(sets.Effective >> 32), permitted = (uint)(sets.Permitted >> 32), inheritable = (uint)(sets.Inheritable >> 32) };
        if (Libc.syscall((nint)SyscallNumbers.SYS_capset, (nint)(&header), (nint)data) != 0)
            throw new SyscallError("capset", sets.ToString(), Errno.Last);
    }

    public void Setresuid(uint ruid, uint euid, uint suid) =>
        Check(Libc.setresuid(ruid, euid, suid), "setresuid", $"{ruid} {euid} {suid}");

    public void Setresgid(uint rgid, uint egid, uint sgid) =>
        Check(Libc.setresgid(rgid, egid, sgid), "setresgid", $"{rgid} {egid} {sgid}");

    public void Setgroups(IReadOnlyList<uint> gids)
    {
        var list = gids.ToArray();
        fixed (uint* p = list)
        {
            if (Libc.setgroups((nuint)list.Length, p) != 0)
                throw new SyscallError("setgroups", $"[{string.Join(' ', list)}]", Errno.Last);
        }
    }

    public uint Umask(uint mask) => Libc.umask(mask);

    public void Execve(string path, IReadOnlyList<string> argv, IReadOnlyList<string> envp)
    {
        var strings = new List<nint>();
        byte** a = null, e = null;
        try
        {
            var p = (byte*)Marshal.StringToCoTaskMemUTF8(path);
            strings.Add((nint)p);
            a = NullTerminated(argv, strings);
            e = NullTerminated(envp, strings);
            Libc.execve(p, a, e);
            throw new SyscallError("execve", path, Errno.Last);
        }
        finally
        {
            foreach (var s in strings) Marshal.FreeCoTaskMem(s);
            NativeMemory.Free(a);
            NativeMemory.Free(e);
        }
    }

    /// <summary>A char*[] ending in NULL; the strings are added to <paramref name="owned"/> to be freed.</summary>
    private static byte** NullTerminated(IReadOnlyList<string> values, List<nint> owned)
    {
        var array = (byte**)NativeMemory.AllocZeroed((nuint)(values.Count + 1), (nuint)sizeof(byte*));
        for (var i = 0; i < values.Count; i++)
        {
            array[i] = (byte*)Marshal.StringToCoTaskMemUTF8(values[i]);
            owned.Add((nint)array[i]);
        }
        return array;
    }

    public FileStat? Stat(string path)
    {
        Tmds.Linux.stat st;
        if (Libc.stat(path, &st) != 0) return Missing("stat", path);
        return ToFileStat(st);
    }

    public FileStat? Lstat(string path)
    {
        Tmds.Linux.stat st;
        if (Libc.lstat(path, &st) != 0) return Missing("lstat", path);
        return ToFileStat(st);
    }

    public string Readlink(string path)
    {
        var buf = stackalloc byte[4096];
        var n = Libc.readlink(path, buf, 4096);
        if (n < 0) throw new SyscallError("readlink", path, Errno.Last);
        return Encoding.UTF8.GetString(buf, (int)n);
    }

    public ulong StatfsFlags(string path)
    {
        Libc.Statfs s;
        if (Libc.statfs(path, &s) != 0) throw new SyscallError("statfs", path, Errno.Last);
        return (ulong)s.f_flags;
    }

    public void WriteFile(string path, string content)
    {
        var fd = Libc.open(path, OpenFlags.O_WRONLY | OpenFlags.O_CLOEXEC, 0);
        if (fd < 0) throw new SyscallError("open", path, Errno.Last);
        try
        {
            var bytes = Encoding.UTF8.GetBytes(content);
            fixed (byte* b = bytes)
            {
                var n = Libc.write(fd, b, (nuint)bytes.Length);
                if (n < 0) throw new SyscallError("write", path, Errno.Last);
                if (n != bytes.Length) throw new SyscallError("write (short)", path, Errno.EIO);
            }
        }
        finally
        {
            Libc.close(fd);
        }
    }

    public string ReadFile(string path)
    {
        var fd = Libc.open(path, OpenFlags.O_RDONLY | OpenFlags.O_CLOEXEC, 0);
        if (fd < 0) throw new SyscallError("open", path, Errno.Last);
        try
        {
            using var ms = new MemoryStream();
            var buf = stackalloc byte[8192];
            while (true)
            {
                var n = Libc.read(fd, buf, 8192);
                if (n < 0)
                {
                    var e = Errno.Last;
                    if (e == Errno.EINTR) continue;
                    throw new SyscallError("read", path, e);
                }
                if (n == 0) break;
                ms.Write(new ReadOnlySpan<byte>(buf, (int)n));
            }
            return Encoding.UTF8.GetString(ms.GetBuffer(), 0, (int)ms.Length);
        }
        finally
        {
            Libc.close(fd);
        }
    }

    private static FileStat? Missing(string call, string path)
    {
        var e = Errno.Last;
        if (e is Errno.ENOENT or Errno.ENOTDIR) return null;
        throw new SyscallError(call, path, e);
    }

    private static FileStat ToFileStat(in Tmds.Linux.stat st) =>
        new((uint)(ushort)st.st_mode, st.st_uid, st.st_gid, st.st_rdev);

    private static byte[] Utf8(string s)
    {
        var b = new byte[Encoding.UTF8.GetByteCount(s) + 1];
        Encoding.UTF8.GetBytes(s, b);
        return b;
    }

    private static void Check(int result, string call, string? target)
    {
        if (result != 0) throw new SyscallError(call, target, Errno.Last);
    }
}
