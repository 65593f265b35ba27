using System.Runtime.InteropServices;

namespace ContainerPS.Engine.Interop;

/// <summary>errno helpers: symbolic names for messages ("EINVAL"), and the C library's text.</summary>
public static class Errno
{
    private static readonly Dictionary<int, string> Names = new()
    {
        [1] = "EPERM", [2] = "ENOENT", [3] = "ESRCH", [4] = "EINTR", [5] = "EIO", [6] = "ENXIO",
        [7] = "E2BIG", [8] = "ENOEXEC", [9] = "EBADF", [10] = "ECHILD", [11] = "EAGAIN", [12] = "ENOMEM",
        [13] = "EACCES", [14] = "EFAULT", [16] = "EBUSY", [17] = "EEXIST", [18] = "EXDEV", [19] = "ENODEV",
        [20] = "ENOTDIR", [21] = "EISDIR", [22] = "EINVAL", [23] = "ENFILE", [24] = "EMFILE", [25] = "ENOTTY",
        [26] = "ETXTBSY", [27] = "EFBIG", [28] = "ENOSPC", [30] = "EROFS", [31] = "EMLINK", [32] = "EPIPE",
        [36] = "ENAMETOOLONG", [38] = "ENOSYS", [39] = "ENOTEMPTY", [40] = "ELOOP", [61] = "ENODATA",
        [95] = "EOPNOTSUPP", [98] = "EADDRINUSE", [110] = "ETIMEDOUT", [111] = "ECONNREFUSED",
    };

    public const int EPERM = 1, ENOENT = 2, ESRCH = 3, EINTR = 4, EAGAIN = 11, EACCES = 13, EBUSY = 16,
        EEXIST = 17, EXDEV = 18, ENOTDIR = 20, EISDIR = 21, EINVAL = 22, ENOSPC = 28, EMLINK = 31, ENOTEMPTY = 39,
        ELOOP = 40, ENODATA = 61, EOPNOTSUPP = 95;

    public static string Name(int errno) => Names.TryGetValue(errno, out var n) ? n : $"errno {errno}";

    public static string Describe(int errno) => Marshal.GetPInvokeErrorMessage(errno);

    /// <summary>errno of the last P/Invoke made with SetLastError (Tmds.LibC and our LibraryImports both set it).</summary>
    public static int Last => Marshal.GetLastPInvokeError();
}
