using System.Runtime.InteropServices;

namespace ContainerPS.Runtime.Linux;

/// <summary>
/// Numbers for the calls glibc has no wrapper for (pivot_root, bpf) or that we make through
/// syscall(2) to avoid a libcap dependency (capget, capset). x86_64 has its own table;
/// arm64 uses the asm-generic one.
/// </summary>
public static class SyscallNumbers
{
    /// <summary>True when running on arm64 (asm-generic numbering and fcntl flags).</summary>
    public static bool IsArm64 => RuntimeInformation.ProcessArchitecture == Architecture.Arm64;

    public const long X64_CAPGET = 125, X64_CAPSET = 126, X64_PIVOT_ROOT = 155, X64_BPF = 321;
    public const long ARM64_CAPGET = 90, ARM64_CAPSET = 91, ARM64_PIVOT_ROOT = 41, ARM64_BPF = 280;

    public static long SYS_capget => Pick(X64_CAPGET, ARM64_CAPGET);
    public static long SYS_capset => Pick(X64_CAPSET, ARM64_CAPSET);
    public static long SYS_pivot_root => Pick(X64_PIVOT_ROOT, ARM64_PIVOT_ROOT);
    public static long SYS_bpf => Pick(X64_BPF, ARM64_BPF);

    private static long Pick(long x64, long arm64) => RuntimeInformation.ProcessArchitecture switch
    {
        Architecture.X64 => x64,
        Architecture.Arm64 => arm64,
        var a => throw new PlatformNotSupportedException($"no syscall numbers for {a}: only x86_64 and arm64 are supported"),
    };
}
