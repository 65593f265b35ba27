namespace ContainerPS.Runtime.Cgroups;

/// <summary>
/// Picks the cgroup manager for this machine: v1 hierarchies in legacy and hybrid mode, the
/// unified tree in v2. Containers live at "/containerps/&lt;id&gt;" below each hierarchy root (like
/// runc's cgroupfs driver with cgroupsPath "/containerps/&lt;id&gt;"), not below the caller's own cgroup.
/// </summary>
public static class CgroupManagerFactory
{
    /// <summary>The parent cgroup of every container; never removed (other containers share it).</summary>
    public const string ParentPath = "/containerps";

    /// <summary>"/containerps/&lt;id&gt;".</summary>
    /// <exception cref="CgroupException">The id is empty, ".", "..", or contains '/' or a NUL.</exception>
    public static string PathFor(string containerId)
    {
        if (string.IsNullOrEmpty(containerId) || containerId is "." or ".." || containerId.Contains('/') || containerId.Contains('\0'))
            throw new CgroupException(CgroupErrorKind.InvalidArgument, containerId, $"'{containerId}' cannot name a cgroup");
        return ParentPath + "/" + containerId;
    }

    /// <summary>The manager for <paramref name="containerId"/> on this machine's /sys/fs/cgroup.</summary>
    /// <exception cref="CgroupException">No cgroup hierarchy is mounted, or the id is invalid.</exception>
    public static ICgroupManager For(string containerId) => For(containerId, CgroupDetector.Detect());

    /// <summary>The manager for <paramref name="containerId"/> on a detected layout (tests: a fake tree).</summary>
    public static ICgroupManager For(string containerId, CgroupInfo info, CgroupFiles? files = null)
    {
        var path = PathFor(containerId);
        return info.Mode switch
        {
            CgroupMode.V1 or CgroupMode.Hybrid => new CgroupV1Manager(info, path, files),
            CgroupMode.V2 => new CgroupV2Manager(info, path, files),
            _ => throw new CgroupException(CgroupErrorKind.NotSupported, info.Root, $"no cgroup hierarchy is mounted at {info.Root}"),
        };
    }
}
