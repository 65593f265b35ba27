namespace ContainerPS.Runtime.Cgroups;

/// <summary>How the cgroup hierarchies are mounted on this machine.</summary>
public enum CgroupMode
{
    /// <summary>No cgroup hierarchy is mounted under the root.</summary>
    None,

    /// <summary>Legacy: only v1 hierarchies (one per controller or co-mounted group) under a tmpfs.</summary>
    V1,

    /// <summary>
    /// v1 controller hierarchies plus a cgroup2 mount (usually <c>&lt;root&gt;/unified</c>) that holds
    /// process tracking and any controller not mounted as v1 (hugetlb on some machines).
    /// Resource limits go through the v1 hierarchies.
    /// </summary>
    Hybrid,

    /// <summary>Unified: the root itself is a cgroup2 file system.</summary>
    V2,
}
