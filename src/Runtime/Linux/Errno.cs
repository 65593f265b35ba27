using System.Runtime.InteropServices;

namespace ContainerPS.Runtime.Linux;

/// <summary>errno numbers the init checks for, their symbolic names ("EPERM") and the C library's text.</summary>
/// <remarks>The values are the generic Linux ones, identical on x86_64 and arm64.</remarks>
public static class Errno
{
    public const int EPERM = 1, ENOENT = 2, ESRCH = 3, EINTR = 4, EIO = 5, EBADF = 9, EAGAIN = 11, ENOMEM = 12,
        EACCES = 13, EFAULT = 14, EBUSY = 16, EEXIST = 17, EXDEV = 18, ENODEV = 19, ENOTDIR = 20, EISDIR = 21,
        EINVAL = 22, ENOSPC = 28, EROFS = 30, ENAMETOOLONG = 36, ENOSYS = 38, ENOTEMPTY = 39, ELOOP = 40,
        EOPNOTSUPP = 95;

    private static readonly Dictionary<int, string> Names = new()
    {
        [1] = "EPERM", [2] = "ENOENT", [3] = "ESRCH", [4] = "EINTR", [5] = "EIO", [6] = "ENXIO",
        [7] = "E2BIG", [8] = "ENOEXEC", [9] = "EBADF", [10] = "ECHILD", [11] = "EAGAIN", [12] = "ENOMEM",
        [13] = "EACCES", [14] = "EFAULT", [15] = "ENOTBLK", [16] = "EBUSY", [17] = "EEXIST", [18] = "EXDEV",
        [19] = "ENODEV", [20] = "ENOTDIR", [21] = "EISDIR", [22] = "EINVAL", [23] = "ENFILE", [24] = "EMFILE",
        [25] = "ENOTTY", [26] = "ETXTBSY", [27] = "EFBIG", [28] = "ENOSPC", [30] = "EROFS", [31] = "EMLINK",
        [32] = "EPIPE", [36] = "ENAMETOOLONG", [38] = "ENOSYS", [39] = "ENOTEMPTY", [40] = "ELOOP",
        [95] = "EOPNOTSUPP",
    };

    /// <summary>"EPERM" for 1; "errno N" for numbers without a name here.</summary>
    public static string Name(int errno) => Names.TryGetValue(errno, out var n) ? n : $"errno {errno}";

    /// <summary>strerror(3) text ("Operation not permitted").</summary>
    public static string Describe(int errno) => Marshal.GetPInvokeErrorMessage(errno);

    /// <summary>errno of the last LibraryImport made with SetLastError.</summary>
    public static int Last => Marshal.GetLastPInvokeError();
}
