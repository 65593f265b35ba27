using System.Runtime.InteropServices;
using ContainerPS.Runtime.Linux;
using ContainerPS.Tests.Unit.Support;

namespace ContainerPS.Tests.Unit.Runtime;

/// <summary>
/// The constants, syscall numbers and struct layouts of ContainerPS.Runtime.Linux are checked
/// against this machine's C headers by compiling a program with gcc (as the engine's
/// NativeConstantsTests do).
/// </summary>
public sealed class RuntimeNativeConstantsTests
{
    private static readonly string[] CapNames =
    [
        "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH", "CAP_FOWNER", "CAP_FSETID", "CAP_KILL",
        "CAP_SETGID", "CAP_SETUID", "CAP_SETPCAP", "CAP_LINUX_IMMUTABLE", "CAP_NET_BIND_SERVICE",
        "CAP_NET_BROADCAST", "CAP_NET_ADMIN", "CAP_NET_RAW", "CAP_IPC_LOCK", "CAP_IPC_OWNER",
        "CAP_SYS_MODULE", "CAP_SYS_RAWIO", "CAP_SYS_CHROOT", "CAP_SYS_PTRACE", "CAP_SYS_PACCT",
        "CAP_SYS_ADMIN", "CAP_SYS_BOOT", "CAP_SYS_NICE", "CAP_SYS_RESOURCE", "CAP_SYS_TIME",
        "CAP_SYS_TTY_CONFIG", "CAP_MKNOD", "CAP_LEASE", "CAP_AUDIT_WRITE", "CAP_AUDIT_CONTROL",
        "CAP_SETFCAP", "CAP_MAC_OVERRIDE", "CAP_MAC_ADMIN", "CAP_SYSLOG", "CAP_WAKE_ALARM",
        "CAP_BLOCK_SUSPEND", "CAP_AUDIT_READ", "CAP_PERFMON", "CAP_BPF", "CAP_CHECKPOINT_RESTORE",
    ];

    private static readonly (string Name, long Value)[] Expected =
    [
        ("MS_RDONLY", (long)MountFlags.MS_RDONLY), ("MS_NOSUID", (long)MountFlags.MS_NOSUID),
        ("MS_NODEV", (long)MountFlags.MS_NODEV), ("MS_NOEXEC", (long)MountFlags.MS_NOEXEC),
        ("MS_SYNCHRONOUS", (long)MountFlags.MS_SYNCHRONOUS), ("MS_REMOUNT", (long)MountFlags.MS_REMOUNT),
        ("MS_MANDLOCK", (long)MountFlags.MS_MANDLOCK), ("MS_DIRSYNC", (long)MountFlags.MS_DIRSYNC),
        ("MS_NOSYMFOLLOW", (long)MountFlags.MS_NOSYMFOLLOW), ("MS_NOATIME", (long)MountFlags.MS_NOATIME),
        ("MS_NODIRATIME", (long)MountFlags.MS_NODIRATIME), ("MS_BIND", (long)MountFlags.MS_BIND),
        ("MS_MOVE", (long)MountFlags.MS_MOVE), ("MS_REC", (long)MountFlags.MS_REC),
        ("MS_SILENT", (long)MountFlags.MS_SILENT), ("MS_POSIXACL", (long)MountFlags.MS_POSIXACL),
        ("MS_UNBINDABLE", (long)MountFlags.MS_UNBINDABLE), ("MS_PRIVATE", (long)MountFlags.MS_PRIVATE),
        ("MS_SLAVE", (long)MountFlags.MS_SLAVE), ("MS_SHARED", (long)MountFlags.MS_SHARED),
        ("MS_RELATIME", (long)MountFlags.MS_RELATIME), ("MS_I_VERSION", (long)MountFlags.MS_I_VERSION),
        ("MS_STRICTATIME", (long)MountFlags.MS_STRICTATIME), ("MS_LAZYTIME", (long)MountFlags.MS_LAZYTIME),
        ("MNT_FORCE", MountFlags.MNT_FORCE), ("MNT_DETACH", MountFlags.MNT_DETACH),
        ("MNT_EXPIRE", MountFlags.MNT_EXPIRE), ("UMOUNT_NOFOLLOW", MountFlags.UMOUNT_NOFOLLOW),
        ("ST_RDONLY", (long)MountFlags.MS_RDONLY), ("ST_NOSUID", (long)MountFlags.MS_NOSUID),
        ("ST_NODEV", (long)MountFlags.MS_NODEV), ("ST_NOEXEC", (long)MountFlags.MS_NOEXEC),
        ("CLONE_NEWTIME", CloneFlags.CLONE_NEWTIME), ("CLONE_FS", CloneFlags.CLONE_FS),
        ("CLONE_FILES", CloneFlags.CLONE_FILES), ("CLONE_NEWNS", CloneFlags.CLONE_NEWNS),
        ("CLONE_NEWCGROUP", CloneFlags.CLONE_NEWCGROUP), ("CLONE_NEWUTS", CloneFlags.CLONE_NEWUTS),
        ("CLONE_NEWIPC", CloneFlags.CLONE_NEWIPC), ("CLONE_NEWUSER", CloneFlags.CLONE_NEWUSER),
        ("CLONE_NEWPID", CloneFlags.CLONE_NEWPID), ("CLONE_NEWNET", CloneFlags.CLONE_NEWNET),
        ("PR_SET_PDEATHSIG", PrctlOptions.PR_SET_PDEATHSIG), ("PR_GET_PDEATHSIG", PrctlOptions.PR_GET_PDEATHSIG),
        ("PR_GET_KEEPCAPS", PrctlOptions.PR_GET_KEEPCAPS), ("PR_SET_KEEPCAPS", PrctlOptions.PR_SET_KEEPCAPS),
        ("PR_CAPBSET_READ", PrctlOptions.PR_CAPBSET_READ), ("PR_CAPBSET_DROP", PrctlOptions.PR_CAPBSET_DROP),
        ("PR_SET_NO_NEW_PRIVS", PrctlOptions.PR_SET_NO_NEW_PRIVS), ("PR_GET_NO_NEW_PRIVS", PrctlOptions.PR_GET_NO_NEW_PRIVS),
        ("PR_CAP_AMBIENT", PrctlOptions.PR_CAP_AMBIENT), ("PR_CAP_AMBIENT_IS_SET", PrctlOptions.PR_CAP_AMBIENT_IS_SET),
        ("PR_CAP_AMBIENT_RAISE", PrctlOptions.PR_CAP_AMBIENT_RAISE), ("PR_CAP_AMBIENT_LOWER", PrctlOptions.PR_CAP_AMBIENT_LOWER),
        ("PR_CAP_AMBIENT_CLEAR_ALL", PrctlOptions.PR_CAP_AMBIENT_CLEAR_ALL),
        ("_LINUX_CAPABILITY_VERSION_3", Capability._LINUX_CAPABILITY_VERSION_3),
        ("_LINUX_CAPABILITY_U32S_3", Capability._LINUX_CAPABILITY_U32S_3),
        ("CAP_LAST_CAP", Capability.CAP_LAST_KNOWN),
        ("RLIMIT_CPU", RlimitResources.RLIMIT_CPU), ("RLIMIT_FSIZE", RlimitResources.RLIMIT_FSIZE),
        ("RLIMIT_DATA", RlimitResources.RLIMIT_DATA), ("RLIMIT_STACK", RlimitResources.RLIMIT_STACK),
        ("RLIMIT_CORE", RlimitResources.RLIMIT_CORE), ("RLIMIT_RSS", RlimitResources.RLIMIT_RSS),
        ("RLIMIT_NPROC", RlimitResources.RLIMIT_NPROC), ("RLIMIT_NOFILE", RlimitResources.RLIMIT_NOFILE),
        ("RLIMIT_MEMLOCK", RlimitResources.RLIMIT_MEMLOCK), ("RLIMIT_AS", RlimitResources.RLIMIT_AS),
        ("RLIMIT_LOCKS", RlimitResources.RLIMIT_LOCKS), ("RLIMIT_SIGPENDING", RlimitResources.RLIMIT_SIGPENDING),
        ("RLIMIT_MSGQUEUE", RlimitResources.RLIMIT_MSGQUEUE), ("RLIMIT_NICE", RlimitResources.RLIMIT_NICE),
        ("RLIMIT_RTPRIO", RlimitResources.RLIMIT_RTPRIO), ("RLIMIT_RTTIME", RlimitResources.RLIMIT_RTTIME),
        ("O_RDONLY", OpenFlags.O_RDONLY), ("O_WRONLY", OpenFlags.O_WRONLY), ("O_RDWR", OpenFlags.O_RDWR),
        ("O_CREAT", OpenFlags.O_CREAT), ("O_EXCL", OpenFlags.O_EXCL), ("O_NOCTTY", OpenFlags.O_NOCTTY),
        ("O_TRUNC", OpenFlags.O_TRUNC), ("O_CLOEXEC", OpenFlags.O_CLOEXEC), ("O_PATH", OpenFlags.O_PATH),
        ("O_DIRECTORY", OpenFlags.O_DIRECTORY), ("O_NOFOLLOW", OpenFlags.O_NOFOLLOW),
        ("S_IFMT", FileStat.S_IFMT), ("S_IFSOCK", FileStat.S_IFSOCK), ("S_IFLNK", FileStat.S_IFLNK),
        ("S_IFREG", FileStat.S_IFREG), ("S_IFBLK", FileStat.S_IFBLK), ("S_IFDIR", FileStat.S_IFDIR),
        ("S_IFCHR", FileStat.S_IFCHR), ("S_IFIFO", FileStat.S_IFIFO),
        ("SYS_pivot_root", SyscallNumbers.SYS_pivot_root), ("SYS_capget", SyscallNumbers.SYS_capget),
        ("SYS_capset", SyscallNumbers.SYS_capset),
        ("EPERM", Errno.EPERM), ("ENOENT", Errno.ENOENT), ("EINTR", Errno.EINTR), ("EBADF", Errno.EBADF),
        ("EACCES", Errno.EACCES), ("EBUSY", Errno.EBUSY), ("EEXIST", Errno.EEXIST), ("ENOTDIR", Errno.ENOTDIR),
        ("EISDIR", Errno.EISDIR), ("EINVAL", Errno.EINVAL), ("EROFS", Errno.EROFS), ("ELOOP", Errno.ELOOP),
        ("ENOSYS", Errno.ENOSYS),
        ("sizeof_rlimit", Marshal.SizeOf<ContainerPS.Runtime.Linux.Libc.Rlimit>()),
        ("sizeof_cap_header", Marshal.SizeOf<ContainerPS.Runtime.Linux.Libc.CapUserHeader>()),
        ("sizeof_cap_data", Marshal.SizeOf<ContainerPS.Runtime.Linux.Libc.CapUserData>()),
        ("sizeof_statfs", Marshal.SizeOf<ContainerPS.Runtime.Linux.Libc.Statfs>()),
        ("offsetof_statfs_f_flags", (long)Marshal.OffsetOf<ContainerPS.Runtime.Linux.Libc.Statfs>("f_flags")),
        ("sizeof_stat", Marshal.SizeOf<Tmds.Linux.stat>()),
    ];

    [Fact]
    public void Constants_syscall_numbers_and_struct_layouts_match_the_c_headers()
    {
        var gcc = Tool.Require("gcc");
        var dir = Directory.CreateTempSubdirectory("cps-rt-hdr-").FullName;
        try
        {
            var prints = string.Join("\n", Expected.Select(e => e.Name switch
            {
                var n when n.StartsWith("sizeof_", StringComparison.Ordinal) || n.StartsWith("offsetof_", StringComparison.Ordinal) =>
                    $"  printf(\"{n}=%ld\\n\", (long)({CExpression(n)}));",
                var n => $"  printf(\"{n}=%ld\\n\", (long)({n}));",
            }).Concat(CapNames.Select(n => $"  printf(\"{n}=%ld\\n\", (long)({n}));")));
            var source = Path.Combine(dir, "c.c");
            File.WriteAllText(source, $$"""
                #define _GNU_SOURCE
                #include <errno.h>
                #include <fcntl.h>
                #include <sched.h>
                #include <stddef.h>
                #include <stdio.h>
                #include <sys/mount.h>
                #include <sys/prctl.h>
                #include <sys/resource.h>
                #include <sys/stat.h>
                #include <sys/statfs.h>
                #include <sys/statvfs.h>
                #include <sys/syscall.h>
                #include <linux/capability.h>
                #ifndef CLONE_NEWTIME
                #define CLONE_NEWTIME 0x80
                #endif
                int main(void) {
                {{prints}}
                  return 0;
                }
                """);
            Tool.Check(gcc, "-Wall", "-Werror", "-o", Path.Combine(dir, "c"), source);
            var values = Tool.Check(Path.Combine(dir, "c")).Split('\n', StringSplitOptions.RemoveEmptyEntries)
                .Select(l => l.Split('=')).ToDictionary(p => p[0], p => long.Parse(p[1]));

            var mismatches = Expected.Where(e => values[e.Name] != e.Value)
                .Select(e => $"{e.Name}: C {values[e.Name]}, C# {e.Value}").ToList();
            for (var i = 0; i < CapNames.Length; i++)
            {
                if (values[CapNames[i]] != i) mismatches.Add($"{CapNames[i]}: C {values[CapNames[i]]}, C# {i}");
                Assert.Equal(CapNames[i], Capability.Name(i));
                Assert.Equal(i, Capability.FromName(CapNames[i]));
            }
            Assert.Empty(mismatches);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static string CExpression(string name) => name switch
    {
        "sizeof_rlimit" => "sizeof(struct rlimit)",
        "sizeof_cap_header" => "sizeof(struct __user_cap_header_struct)",
        "sizeof_cap_data" => "sizeof(struct __user_cap_data_struct)",
        "sizeof_statfs" => "sizeof(struct statfs)",
        "offsetof_statfs_f_flags" => "offsetof(struct statfs, f_flags)",
        "sizeof_stat" => "sizeof(struct stat)",
        _ => throw new ArgumentException(name),
    };

    [Fact]
    public void Syscall_numbers_exist_for_both_supported_architectures()
    {
        Assert.Equal((125, 126, 155), (SyscallNumbers.X64_CAPGET, SyscallNumbers.X64_CAPSET, SyscallNumbers.X64_PIVOT_ROOT));
        Assert.Equal((90, 91, 41), (SyscallNumbers.ARM64_CAPGET, SyscallNumbers.ARM64_CAPSET, SyscallNumbers.ARM64_PIVOT_ROOT));
    }

    [Fact]
    public void Capability_names_round_trip_and_accept_docker_spelling()
    {
        Assert.Equal(Capability.CAP_SYS_ADMIN, Capability.FromName("CAP_SYS_ADMIN"));
        Assert.Equal(Capability.CAP_NET_RAW, Capability.FromName("net_raw"));
        Assert.Null(Capability.FromName("CAP_NOT_A_CAP"));
        Assert.Equal("CAP_CHECKPOINT_RESTORE", Capability.Name(40));
        Assert.Equal(RlimitResources.RLIMIT_NOFILE, RlimitResources.FromName("RLIMIT_NOFILE"));
        Assert.Null(RlimitResources.FromName("RLIMIT_BOGUS"));
    }

    [Fact]
    public void SyscallError_names_call_target_and_errno()
    {
        var e = new SyscallError("mount proc on", "/proc", Errno.EPERM);
        Assert.Equal("mount proc on /proc: EPERM (Operation not permitted)", e.Message);
        Assert.Equal(("mount proc on", "/proc", 1), (e.Call, e.Target, e.Errno));
    }
}
