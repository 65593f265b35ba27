namespace ContainerPS.Runtime.Cgroups;

/// <summary>
/// One mounted v1 hierarchy: its mount point and the controllers on it (several when
/// co-mounted, e.g. "cpu,cpuacct"), or a named hierarchy without controllers ("name=systemd").
/// </summary>
/// <param name="MountPoint">Absolute path, e.g. /sys/fs/cgroup/memory.</param>
/// <param name="Controllers">Controllers of the hierarchy, e.g. ["cpu", "cpuacct"].</param>
/// <param name="Name">The name= option of a named hierarchy ("systemd"), else null.</param>
public sealed record CgroupV1Mount(string MountPoint, IReadOnlyList<string> Controllers, string? Name = null)
{
    /// <summary>"memory", "cpu,cpuacct" or "name=systemd": how /proc/&lt;pid&gt;/cgroup names the hierarchy.</summary>
    public string Key => string.Join(',', Name is null ? Controllers : Controllers.Append("name=" + Name));
}
