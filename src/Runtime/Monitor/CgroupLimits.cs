using System.Text.Json.Serialization;
using ContainerPS.Runtime.Cgroups;
using ContainerPS.Runtime.Spec;

namespace ContainerPS.Runtime.Monitor;

/// <summary>
/// The bundle's linux.resources as the monitor applies them, handed over in monitor.json by
/// the engine: the monitor then never parses config.json (the whole OCI spec model), which
/// kept ~1 ms of JSON work on the start path and its metadata in every monitor's heap.
/// </summary>
public sealed class CgroupLimits
{
    [JsonPropertyName("memoryLimit")] public long? MemoryLimit { get; set; }
    [JsonPropertyName("memorySwap")] public long? MemorySwap { get; set; }
    [JsonPropertyName("cpuShares")] public long? CpuShares { get; set; }
    [JsonPropertyName("cpuQuota")] public long? CpuQuota { get; set; }
    [JsonPropertyName("cpuPeriod")] public long? CpuPeriod { get; set; }
    [JsonPropertyName("pidsLimit")] public long? PidsLimit { get; set; }

    /// <summary>
    /// The device rules the built-in runtime applies, in <see cref="DeviceRule"/>'s text form
    /// ("allow c 1:5 rwm"), already simplified: strings keep the monitor's hand-written reader small.
    /// </summary>
    [JsonPropertyName("devices")] public List<string>? Devices { get; set; }

    /// <summary>The limits of a spec's linux.resources, with the device rules of <see cref="DeviceRules"/>.</summary>
    /// <exception cref="RuntimeSpecException">A device rule in the spec is malformed.</exception>
    public static CgroupLimits From(RuntimeSpec spec)
    {
        var r = spec.Linux?.Resources;
        var devices = DeviceRules(r?.Devices).Select(d => d.ToString()).ToList();
        if (r is null) return new CgroupLimits { Devices = devices };
        return new CgroupLimits
        {
            Devices = devices,
            MemoryLimit = r.Memory?.Limit,
            MemorySwap = r.Memory?.Swap,
            CpuShares = r.Cpu?.Shares is { } shares ? (long)shares : null,
            CpuQuota = r.Cpu?.Quota,
            CpuPeriod = r.Cpu?.Period is { } period ? (long)period : null,
            PidsLimit = r.Pids?.Limit,
        };
    }

    /// <summary>
    /// What runc and crun enforce for a spec's device rules, so a bundle behaves alike under all
    /// three runtimes: deny everything unless the list starts with a rule for all devices (runc's
    /// emulator starts from deny-all), the spec's rules in order, then the runtimes' own implicit
    /// list (<see cref="SpecDefaults.RuntimeImplicitDeviceRules"/>: mknod of anything, the standard
    /// devices, ptmx, /dev/pts and tun) — simplified to the writes that matter.
    /// </summary>
    /// <exception cref="RuntimeSpecException">A rule is malformed (unknown type, bad access, partial rule for all devices).</exception>
    public static List<DeviceRule> DeviceRules(IEnumerable<LinuxDeviceCgroup>? specRules)
    {
        var rules = new List<DeviceRule>();
        try
        {
            foreach (var d in (specRules ?? Enumerable.Empty<LinuxDeviceCgroup>()).Concat(SpecDefaults.RuntimeImplicitDeviceRules()))
                rules.Add(DeviceRule.Create(d.Allow, d.Type, d.Major, d.Minor, d.Access));
        }
        catch (CgroupException e)
        {
            throw new RuntimeSpecException("linux.resources.devices: " + e.Message);
        }
        if (rules.Count == 0 || !rules[0].IsAll) rules.Insert(0, DeviceRule.DenyAll);
        return DeviceRule.Simplify(rules);
    }

    /// <exception cref="CgroupException">InvalidArgument: a device rule is malformed.</exception>
    public CgroupResources ToResources() => new(
        Devices: Devices?.Select(DeviceRule.Parse).ToList(),
        MemoryLimit: MemoryLimit,
        MemorySwap: MemorySwap,
        CpuShares: CpuShares,
        CpuQuota: CpuQuota,
        CpuPeriod: CpuPeriod,
        PidsLimit: PidsLimit);
}
