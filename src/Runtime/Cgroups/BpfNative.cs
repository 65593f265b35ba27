using System.Runtime.InteropServices;
using System.Text;
using ContainerPS.Runtime.Linux;

namespace ContainerPS.Runtime.Cgroups;

/// <summary>
/// bpf(2) for the cgroup v2 device filter: load a BPF_PROG_TYPE_CGROUP_DEVICE program, attach it
/// to a cgroup directory (BPF_F_ALLOW_MULTI, as runc does, so an ancestor's program still runs
/// too), and detach the programs a previous apply left. glibc has no wrapper: syscall(2).
/// Command numbers, attach types and the union bpf_attr offsets used are checked against
/// linux/bpf.h by a test.
/// </summary>
internal static unsafe partial class BpfNative
{
    public const int BPF_PROG_LOAD = 5, BPF_PROG_ATTACH = 8, BPF_PROG_DETACH = 9, BPF_PROG_GET_FD_BY_ID = 13, BPF_PROG_QUERY = 16;
    public const uint BPF_PROG_TYPE_CGROUP_DEVICE = 15, BPF_CGROUP_DEVICE = 6, BPF_F_ALLOW_MULTI = 2;
    public const int O_RDONLY_DIRECTORY_CLOEXEC = 0x10000 | 0x80000;

    /// <summary>Bytes of union bpf_attr passed: covers every member used; the kernel requires the rest to be zero.</summary>
    public const int AttrSize = 128;

    // union bpf_attr, BPF_PROG_LOAD member offsets.
    public const int LoadProgType = 0, LoadInsnCnt = 4, LoadInsns = 8, LoadLicense = 16, LoadLogLevel = 24, LoadLogSize = 28, LoadLogBuf = 32, LoadProgName = 48;

    // BPF_PROG_ATTACH / BPF_PROG_DETACH.
    public const int AttachTargetFd = 0, AttachBpfFd = 4, AttachType = 8, AttachFlags = 12;

    // BPF_PROG_QUERY.
    public const int QueryTargetFd = 0, QueryAttachType = 4, QueryProgIds = 16, QueryProgCnt = 24;

    [LibraryImport("libc", SetLastError = true)]
    private static partial long syscall(long number, long cmd, byte* attr, long size);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int open(string path, int flags);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int close(int fd);

    private static long SysBpf => SyscallNumbers.SYS_bpf;

    /// <summary>
    /// Loads <paramref name="program"/> and attaches it to <paramref name="directory"/>'s cgroup,
    /// then detaches the device programs that were attached before (an earlier apply's), so
    /// exactly one of ours filters the cgroup. The attachment lives with the cgroup, not with
    /// this process.
    /// </summary>
    /// <exception cref="CgroupException">The open, load (with the verifier's log), attach or detach failed.</exception>
    public static void AttachDeviceFilter(string directory, ReadOnlySpan<ulong> program)
    {
        var cgroup = open(directory, O_RDONLY_DIRECTORY_CLOEXEC);
        if (cgroup < 0) throw new CgroupException("open", directory, Marshal.GetLastPInvokeError());
        var previous = new List<int>();
        var loaded = -1;
        try
        {
            foreach (var id in AttachedPrograms(cgroup, directory))
            {
                var fd = ProgramById(id);
                if (fd >= 0) previous.Add(fd);
            }
            loaded = Load(program, directory);
            Span<byte> attr = stackalloc byte[AttrSize];
            attr.Clear();
            Put(attr, AttachTargetFd, (uint)cgroup);
            Put(attr, AttachBpfFd, (uint)loaded);
            Put(attr, AttachType, BPF_CGROUP_DEVICE);
            Put(attr, AttachFlags, BPF_F_ALLOW_MULTI);
            Call(BPF_PROG_ATTACH, attr, "bpf(BPF_PROG_ATTACH)", directory);
            foreach (var fd in previous)
            {
                attr.Clear();
                Put(attr, AttachTargetFd, (uint)cgroup);
                Put(attr, AttachBpfFd, (uint)fd);
                Put(attr, AttachType, BPF_CGROUP_DEVICE);
                Call(BPF_PROG_DETACH, attr, "bpf(BPF_PROG_DETACH)", directory);
            }
        }
        finally
        {
            foreach (var fd in previous) close(fd);
            if (loaded >= 0) close(loaded);
            close(cgroup);
        }
    }

    /// <summary>IDs of the device programs attached to the cgroup itself (not inherited ones).</summary>
    public static uint[] AttachedPrograms(int cgroup, string directory)
    {
        var ids = new uint[64];
        Span<byte> attr = stackalloc byte[AttrSize];
        attr.Clear();
        Put(attr, QueryTargetFd, (uint)cgroup);
        Put(attr, QueryAttachType, BPF_CGROUP_DEVICE);
        fixed (uint* p = ids)
        {
            PutPointer(attr, QueryProgIds, p);
            Put(attr, QueryProgCnt, (uint)ids.Length);
            Call(BPF_PROG_QUERY, attr, "bpf(BPF_PROG_QUERY)", directory);
        }
        var count = BitConverter.ToUInt32(attr[QueryProgCnt..]);
        return ids.AsSpan(0, (int)Math.Min(count, (uint)ids.Length)).ToArray();
    }

    /// <summary>IDs of the device programs attached to <paramref name="directory"/>'s cgroup.</summary>
    /// <exception cref="CgroupException"/>
    public static uint[] AttachedPrograms(string directory)
    {
        var cgroup = open(directory, O_RDONLY_DIRECTORY_CLOEXEC);
        if (cgroup < 0) throw new CgroupException("open", directory, Marshal.GetLastPInvokeError());
        try
        {
            return AttachedPrograms(cgroup, directory);
        }
        finally
        {
            close(cgroup);
        }
    }

    /// <summary>A descriptor for program <paramref name="id"/>, or -1 when it is gone meanwhile.</summary>
    private static int ProgramById(uint id)
    {
        Span<byte> attr = stackalloc byte[AttrSize];
        attr.Clear();
        Put(attr, 0, id);
        fixed (byte* a = attr)
            return (int)syscall(SysBpf, BPF_PROG_GET_FD_BY_ID, a, AttrSize);
    }

    private static int Load(ReadOnlySpan<ulong> program, string directory)
    {
        var license = "Apache\0"u8;
        var name = "cps_devices\0"u8;
        Span<byte> attr = stackalloc byte[AttrSize];
        fixed (ulong* insns = program)
        fixed (byte* lic = license)
        {
            attr.Clear();
            Put(attr, LoadProgType, BPF_PROG_TYPE_CGROUP_DEVICE);
            Put(attr, LoadInsnCnt, (uint)program.Length);
            PutPointer(attr, LoadInsns, insns);
            PutPointer(attr, LoadLicense, lic);
            name.CopyTo(attr[LoadProgName..]);
            long fd;
            fixed (byte* a = attr) fd = syscall(SysBpf, BPF_PROG_LOAD, a, AttrSize);
            if (fd >= 0) return (int)fd;
            var errno = Marshal.GetLastPInvokeError();

            // Again with the verifier's log, so the error says why the program was refused.
            var log = new byte[16384];
            fixed (byte* l = log)
            {
                Put(attr, LoadLogLevel, 1);
                Put(attr, LoadLogSize, (uint)log.Length);
                PutPointer(attr, LoadLogBuf, l);
                fixed (byte* a = attr) fd = syscall(SysBpf, BPF_PROG_LOAD, a, AttrSize);
            }
            if (fd >= 0) return (int)fd;
            var text = Encoding.UTF8.GetString(log, 0, Math.Max(0, Array.IndexOf(log, (byte)0))).Trim();
            throw new CgroupException(CgroupErrorKind.Syscall, directory,
                $"bpf(BPF_PROG_LOAD) of the device filter for {directory}: {Errnos.Describe(errno)}" + (text.Length > 0 ? ": " + text : ""));
        }
    }

    private static void Call(int cmd, Span<byte> attr, string what, string directory)
    {
        fixed (byte* a = attr)
        {
            if (syscall(SysBpf, cmd, a, AttrSize) < 0) throw new CgroupException(what, directory, Marshal.GetLastPInvokeError());
        }
    }

    private static void Put(Span<byte> attr, int offset, uint value) => BitConverter.TryWriteBytes(attr[offset..], value);

    private static void PutPointer(Span<byte> attr, int offset, void* pointer) => BitConverter.TryWriteBytes(attr[offset..], (ulong)pointer);
}
