namespace ContainerPS.Runtime.Linux;

/// <summary>
/// Every kernel call the container init makes (youki's syscall seam). <see cref="LinuxSyscalls"/>
/// makes them for real; <see cref="Recording.RecordingSyscalls"/> records them for unit tests.
/// Every method throws <see cref="SyscallError"/> (call, target, errno) when the kernel refuses.
/// </summary>
public interface ISyscalls
{
    /// <summary>mount(2). A null <paramref name="source"/>/<paramref name="fsType"/>/<paramref name="data"/> is passed as NULL.</summary>
    void Mount(string? source, string target, string? fsType, ulong flags, string? data);

    /// <summary>umount2(2) with MNT_* flags.</summary>
    void Umount2(string target, int flags);

    /// <summary>pivot_root(2) (through syscall(2): glibc has no wrapper).</summary>
    void PivotRoot(string newRoot, string putOld);

    void Chdir(string path);

    void Fchdir(int fd);

    void Chroot(string path);

    /// <summary>mkdir(2); EEXIST is an error like any other.</summary>
    void Mkdir(string path, uint mode);

    /// <summary>mknod(2); <paramref name="mode"/> includes the S_IF* type bits.</summary>
    void Mknod(string path, uint mode, ulong device);

    /// <summary>lchown(2): never follows a symlink.</summary>
    void Lchown(string path, uint uid, uint gid);

    /// <summary>symlink(2): creates <paramref name="linkPath"/> pointing at <paramref name="target"/>.</summary>
    void Symlink(string target, string linkPath);

    void Unlink(string path);

    /// <summary>open(2); returns the descriptor.</summary>
    int Open(string path, int flags, uint mode);

    void Close(int fd);

    void Sethostname(string name);

    void Setrlimit(int resource, ulong soft, ulong hard);

    /// <summary>prctl(2); returns its result (PR_CAPBSET_READ returns 0/1).</summary>
    int Prctl(int option, ulong arg2 = 0, ulong arg3 = 0, ulong arg4 = 0, ulong arg5 = 0);

    /// <summary>capget(2) of the calling thread, version 3 (64-bit sets).</summary>
    CapabilitySets Capget();

    /// <summary>capset(2) of the calling thread, version 3 (64-bit sets).</summary>
    void Capset(CapabilitySets sets);

    void Setresuid(uint ruid, uint euid, uint suid);

    void Setresgid(uint rgid, uint egid, uint sgid);

    void Setgroups(IReadOnlyList<uint> gids);

    /// <summary>umask(2); returns the previous mask.</summary>
    uint Umask(uint mask);

    /// <summary>
    /// execve(2). Does not return when the real call succeeds; a recording implementation
    /// returns after recording it.
    /// </summary>
    void Execve(string path, IReadOnlyList<string> argv, IReadOnlyList<string> envp);

    /// <summary>stat(2) (follows symlinks); null when the path does not exist (ENOENT, ENOTDIR).</summary>
    FileStat? Stat(string path);

    /// <summary>lstat(2) (never follows the last component); null when the path does not exist.</summary>
    FileStat? Lstat(string path);

    /// <summary>readlink(2).</summary>
    string Readlink(string path);

    /// <summary>statfs(2) f_flags (ST_RDONLY, ST_NOSUID, ST_NODEV, ST_NOEXEC... = the MS_* values).</summary>
    ulong StatfsFlags(string path);

    /// <summary>Writes <paramref name="content"/> to an existing file (open O_WRONLY, no create): /proc and /sys knobs.</summary>
    void WriteFile(string path, string content);

    /// <summary>Reads a whole (small) file such as /proc/sys/kernel/cap_last_cap or /proc/self/mountinfo.</summary>
    string ReadFile(string path);
}
