using System.Runtime.InteropServices;

namespace ContainerPS.Runtime.Cgroups;

/// <summary>errno values the cgroup code reacts to, and their names for messages (Linux, all arches we build for).</summary>
internal static class Errnos
{
    public const int EPERM = 1, ENOENT = 2, ESRCH = 3, EINTR = 4, EIO = 5, EAGAIN = 11, ENOMEM = 12, EACCES = 13,
        EBUSY = 16, EEXIST = 17, ENODEV = 19, ENOTDIR = 20, EINVAL = 22, ENOSPC = 28, EROFS = 30, ENOTEMPTY = 39,
        EOPNOTSUPP = 95;

    public static string Name(int errno) => errno switch
    {
        EPERM => "EPERM", ENOENT => "ENOENT", ESRCH => "ESRCH", EINTR => "EINTR", EIO => "EIO",
        EAGAIN => "EAGAIN", ENOMEM => "ENOMEM", EACCES => "EACCES", EBUSY => "EBUSY", EEXIST => "EEXIST",
        ENODEV => "ENODEV", ENOTDIR => "ENOTDIR", EINVAL => "EINVAL", ENOSPC => "ENOSPC", EROFS => "EROFS",
        ENOTEMPTY => "ENOTEMPTY", EOPNOTSUPP => "EOPNOTSUPP",
        _ => "errno " + errno.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    public static string Describe(int errno) => $"{Name(errno)} ({Marshal.GetPInvokeErrorMessage(errno)})";
}
