namespace ContainerPS.Runtime.Cgroups;

/// <summary>
/// A cgroup operation failed. Syscall failures name the call, the file and errno
/// ("write /sys/fs/cgroup/cpuset/containerps/x/cgroup.procs: ENOSPC (No space left on device)").
/// </summary>
public sealed class CgroupException : IOException
{
    /// <summary>A failed system call on <paramref name="path"/>.</summary>
    public CgroupException(string operation, string path, int errno)
        : base($"{operation} {path}: {Errnos.Describe(errno)}")
    {
        Kind = CgroupErrorKind.Syscall;
        Operation = operation;
        Path = path;
        Errno = errno;
        HResult = errno;
    }

    /// <summary>A failure that is not a single system call (see <see cref="CgroupErrorKind"/>).</summary>
    public CgroupException(CgroupErrorKind kind, string path, string message, Exception? inner = null)
        : base(message, inner)
    {
        Kind = kind;
        Operation = "";
        Path = path;
    }

    public CgroupErrorKind Kind { get; }

    /// <summary>The system call that failed ("write", "rmdir", ...), or empty.</summary>
    public string Operation { get; }

    /// <summary>The cgroup file or directory concerned.</summary>
    public string Path { get; }

    /// <summary>errno of a <see cref="CgroupErrorKind.Syscall"/> failure, else 0.</summary>
    public int Errno { get; }
}
