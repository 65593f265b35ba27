namespace ContainerPS.Runtime.Cgroups;

/// <summary>
/// What <see cref="CgroupDetector"/> found: the mode, every v1 hierarchy, and the cgroup2 mount
/// with the controllers it offers. Code that drives an external runtime decides from this
/// (e.g. crun 1.8 refuses hybrid mode while a controller such as hugetlb is only on cgroup2:
/// check <see cref="UnifiedControllers"/>).
/// </summary>
public sealed record CgroupInfo
{
    public required CgroupMode Mode { get; init; }

    /// <summary>The cgroup root that was examined, normally /sys/fs/cgroup.</summary>
    public required string Root { get; init; }

    /// <summary>Mounted v1 hierarchies (empty in <see cref="CgroupMode.V2"/>).</summary>
    public IReadOnlyList<CgroupV1Mount> V1Mounts { get; init; } = Array.Empty<CgroupV1Mount>();

    /// <summary>The cgroup2 mount point: the root in V2, usually &lt;root&gt;/unified in hybrid; null if none.</summary>
    public string? UnifiedMountPoint { get; init; }

    /// <summary>Controllers the cgroup2 root offers (its cgroup.controllers), e.g. ["hugetlb"] in hybrid mode here.</summary>
    public IReadOnlyList<string> UnifiedControllers { get; init; } = Array.Empty<string>();

    /// <summary>All controllers mounted as v1, sorted.</summary>
    public IReadOnlyList<string> V1Controllers =>
        V1Mounts.SelectMany(m => m.Controllers).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();

    /// <summary>True when a cgroup2 hierarchy is mounted (always in V2, sometimes in hybrid).</summary>
    public bool HasUnified => UnifiedMountPoint is not null;

    /// <summary>The v1 hierarchy holding <paramref name="controller"/> ("memory", or "name=systemd"), or null.</summary>
    public CgroupV1Mount? V1MountOf(string controller)
    {
        foreach (var m in V1Mounts)
        {
            if (controller.StartsWith("name=", StringComparison.Ordinal)
                ? m.Name == controller[5..]
                : m.Controllers.Contains(controller, StringComparer.Ordinal))
                return m;
        }
        return null;
    }

    public bool IsV1Mounted(string controller) => V1MountOf(controller) is not null;
}
