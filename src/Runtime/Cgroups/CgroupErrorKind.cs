namespace ContainerPS.Runtime.Cgroups;

/// <summary>Why a cgroup operation failed, so callers can map it without parsing messages.</summary>
public enum CgroupErrorKind
{
    /// <summary>A system call on the cgroup file system failed; <see cref="CgroupException.Errno"/> says how.</summary>
    Syscall,

    /// <summary>The machine lacks what was asked for (controller not mounted or not enabled, no freezer).</summary>
    NotSupported,

    /// <summary>The requested values are inconsistent or out of the kernel's range.</summary>
    InvalidArgument,

    /// <summary>The kernel did not reach the requested state in time (freezing).</summary>
    Timeout,
}
