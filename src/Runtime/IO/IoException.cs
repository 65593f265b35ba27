using System.Runtime.InteropServices;

namespace ContainerPS.Runtime.IO;

/// <summary>A file-system call of the shared helpers failed: names the call, the path and errno.</summary>
public sealed class IoException : IOException
{
    public IoException(string call, string path, int errno)
        : base($"{call} {path}: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno})")
    {
        Call = call;
        Path = path;
        Errno = errno;
    }

    public string Call { get; }
    public string Path { get; }
    public int Errno { get; }
}
