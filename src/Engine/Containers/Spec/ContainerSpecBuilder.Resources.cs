using ContainerPS.Engine.Errors;
using ContainerPS.Runtime.Spec;

namespace ContainerPS.Engine.Containers.Spec;

public sealed partial class ContainerSpecBuilder
{
    /// <summary>Docker's smallest memory limit (linuxMinMemory, 6 MiB).</summary>
    public const long MinimumMemory = 6 * 1024 * 1024;

    /// <summary>Docker's clamp range for cpu.shares (linuxMinCPUShares/linuxMaxCPUShares).</summary>
    public const long MinimumCpuShares = 2, MaximumCpuShares = 262144;

    /// <summary>The CFS period Docker uses for --cpus: 100 ms in microseconds.</summary>
    public const ulong CpuPeriod = 100_000;

    /// <summary>
    /// Checks the resource options with Docker's rules and messages (moby
    /// verifyPlatformContainerResources). <paramref name="hostCpuCount"/> null skips the CPU count check.
    /// </summary>
    /// <exception cref="InvalidArgumentException">A limit is out of range or inconsistent.</exception>
    public static void ValidateResources(ContainerCreateOptions options, int? hostCpuCount)
    {
        ArgumentNullException.ThrowIfNull(options);
        var memory = options.Memory ?? 0;
        var swap = options.MemorySwap ?? 0;
        if (memory < 0) throw Invalid("InvalidMemory", $"invalid memory limit {memory}: must be a positive number of bytes", memory);
        if (memory > 0 && memory < MinimumMemory)
            throw Invalid("InvalidMemory", "Minimum memory limit allowed is 6MB", memory);
        if (swap < -1) throw Invalid("InvalidMemorySwap", $"invalid memory+swap limit {swap}: use -1 for unlimited swap", swap);
        if (memory > 0 && swap > 0 && swap < memory)
            throw Invalid("InvalidMemorySwap", "Minimum memoryswap limit should be larger than memory limit, see usage", swap);
        if (memory == 0 && swap > 0)
            throw Invalid("InvalidMemorySwap", "You should always set the Memory limit when using Memoryswap limit, see usage", swap);

        if (options.CpuShares is < 0)
            throw Invalid("InvalidCpuShares", $"invalid CPU shares {options.CpuShares}: must not be negative", options.CpuShares);

        if (options.Cpus is { } cpus)
        {
            var max = hostCpuCount ?? int.MaxValue;
            if (double.IsNaN(cpus) || cpus < 0.01 || cpus > max)
                throw Invalid("InvalidCpus", hostCpuCount is { } n
                    ? $"Range of CPUs is from 0.01 to {n}.00, as there are only {n} CPUs available"
                    : $"invalid number of CPUs {cpus}: must be at least 0.01", cpus);
            var nano = cpus * 1e9;
            if (Math.Abs(nano - Math.Round(nano)) > 1e-3)
                throw Invalid("InvalidCpus", $"invalid number of CPUs {cpus}: value is too precise", cpus);
        }
    }

    /// <summary>
    /// The cgroup resources: Docker's device rules, memory (swap defaulting to twice the limit,
    /// unlimited where swap cannot be limited), cpu shares (clamped to 2..262144) and the CFS
    /// quota for --cpus, and the pids limit (-1 for "unlimited" when ≤ 0 was given).
    /// </summary>
    private LinuxResources Resources(ContainerCreateOptions options)
    {
        var resources = new LinuxResources { Devices = SpecDefaults.DeviceCgroupRules() };

        var memory = options.Memory ?? 0;
        var swap = options.MemorySwap ?? 0;
        if (memory > 0 && swap == 0) swap = memory * 2; // moby adaptContainerSettings
        if (memory > 0 && !SwapLimitSupported) swap = -1;
        if (memory > 0 || swap > 0)
            resources.Memory = new LinuxMemory { Limit = memory > 0 ? memory : null, Swap = swap > 0 ? swap : null };

        LinuxCpu? cpu = null;
        if (options.CpuShares is > 0 and var shares)
            (cpu ??= new LinuxCpu()).Shares = (ulong)Math.Clamp(shares, MinimumCpuShares, MaximumCpuShares);
        if (options.Cpus is { } cpus)
        {
            var nano = (long)Math.Round(cpus * 1e9);
            cpu ??= new LinuxCpu();
            cpu.Period = CpuPeriod;
            cpu.Quota = nano * (long)CpuPeriod / 1_000_000_000;
        }
        resources.Cpu = cpu;

        if (options.PidsLimit is { } pids)
            resources.Pids = new LinuxPids { Limit = pids > 0 ? pids : -1 };
        return resources;
    }

    private static InvalidArgumentException Invalid(string errorId, string message, object? target) => new(errorId, message, target);
}
