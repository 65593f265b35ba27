using System.Runtime.InteropServices;

namespace ContainerPS.Runtime.Spawning;

/// <summary>
/// glibc's posix_spawn family. posix_spawn clones with CLONE_VM|CLONE_VFORK and runs no
/// managed code in the child, which is what a .NET process needs: a forked child of a .NET
/// process must never run managed code, and after unshare(CLONE_NEWPID) the calling thread
/// may not create threads — posix_spawn does neither.
/// </summary>
internal static unsafe partial class SpawnNative
{
    private const string Libc = "libc";

    // Opaque glibc structures: sizes are 80 and 336 bytes on x86_64/arm64; allocate more.
    public const int FileActionsSize = 256;
    public const int AttrSize = 1024;

    public const short POSIX_SPAWN_RESETIDS = 0x01, POSIX_SPAWN_SETPGROUP = 0x02, POSIX_SPAWN_SETSIGDEF = 0x04,
        POSIX_SPAWN_SETSIGMASK = 0x08, POSIX_SPAWN_SETSCHEDPARAM = 0x10, POSIX_SPAWN_SETSCHEDULER = 0x20,
        POSIX_SPAWN_USEVFORK = 0x40, POSIX_SPAWN_SETSID = 0x80;

    [LibraryImport(Libc)]
    public static partial int posix_spawn(out int pid, byte* path, void* fileActions, void* attr, byte** argv, byte** envp);

    [LibraryImport(Libc)]
    public static partial int posix_spawn_file_actions_init(void* fileActions);

    [LibraryImport(Libc)]
    public static partial int posix_spawn_file_actions_destroy(void* fileActions);

    [LibraryImport(Libc)]
    public static partial int posix_spawn_file_actions_adddup2(void* fileActions, int fd, int newfd);

    [LibraryImport(Libc)]
    public static partial int posix_spawn_file_actions_addclose(void* fileActions, int fd);

    [LibraryImport(Libc)]
    public static partial int posix_spawn_file_actions_addchdir_np(void* fileActions, byte* path);

    [LibraryImport(Libc)]
    public static partial int posix_spawnattr_init(void* attr);

    [LibraryImport(Libc)]
    public static partial int posix_spawnattr_destroy(void* attr);

    [LibraryImport(Libc)]
    public static partial int posix_spawnattr_setflags(void* attr, short flags);

    [LibraryImport(Libc)]
    public static partial int posix_spawnattr_setsigmask(void* attr, void* sigset);

    [LibraryImport(Libc)]
    public static partial int posix_spawnattr_setsigdefault(void* attr, void* sigset);

    [LibraryImport(Libc)]
    public static partial int sigemptyset(void* set);

    [LibraryImport(Libc)]
    public static partial int sigfillset(void* set);

    [LibraryImport(Libc)]
    public static partial int sigdelset(void* set, int signo);

    [LibraryImport(Libc, SetLastError = true)]
    public static partial int unshare(int flags);

    [LibraryImport(Libc, SetLastError = true)]
    public static partial int waitpid(int pid, out int status, int options);

    [LibraryImport(Libc, SetLastError = true)]
    public static partial int pipe2(int* fds, int flags);

    [LibraryImport(Libc, SetLastError = true)]
    public static partial int close(int fd);

    [LibraryImport(Libc, SetLastError = true)]
    public static partial nint read(int fd, byte* buf, nint count);

    [LibraryImport(Libc, SetLastError = true)]
    public static partial nint write(int fd, byte* buf, nint count);

    [LibraryImport(Libc, SetLastError = true)]
    public static partial int kill(int pid, int sig);

    public const int SigsetSize = 128;

    public const ulong MS_BIND = 0x1000, MS_REC = 0x4000, MS_PRIVATE = 1 << 18;

    [LibraryImport(Libc, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int mount(string? source, string target, string? fstype, ulong flags, string? data);

    [LibraryImport(Libc, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int chdir(string path);

    [LibraryImport(Libc, SetLastError = true)]
    public static partial int getpid();

    [LibraryImport(Libc, SetLastError = true)]
    public static partial int fcntl(int fd, int cmd, int arg);

    public const int F_SETFD = 2, FD_CLOEXEC = 1, O_CLOEXEC = 0x80000;

    [LibraryImport(Libc, SetLastError = true)]
    public static partial int dup2(int oldfd, int newfd);

    [LibraryImport(Libc, SetLastError = true)]
    public static partial int setns(int fd, int nstype);

    [LibraryImport(Libc, SetLastError = true)]
    public static partial int waitid(int idtype, int id, byte* infop, int options);

    [LibraryImport(Libc, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int open(string path, int flags, uint mode);

    public const int O_RDONLY = 0;

    [StructLayout(LayoutKind.Sequential)]
    public struct PollFd { public int fd; public short events; public short revents; }

    public const short POLLIN = 1;

    [LibraryImport(Libc, SetLastError = true)]
    public static partial int poll(PollFd* fds, nuint nfds, int timeout);

    /// <summary>syscall(2) with two arguments (pidfd_open has no glibc wrapper before 2.36's headers).</summary>
    [LibraryImport(Libc, SetLastError = true)]
    public static partial nint syscall(nint number, nint arg1, nint arg2);

    /// <summary>pidfd_open: 434 on x86_64 and in the asm-generic table (arm64) alike.</summary>
    public const int SYS_pidfd_open = 434;

    /// <summary>pidfd_open(pid, 0): a descriptor readable once the process exits; -1 with errno set.</summary>
    public static int PidfdOpen(int pid) => (int)syscall(SYS_pidfd_open, pid, 0);
}
