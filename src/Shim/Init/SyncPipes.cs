using System.Runtime.InteropServices;
using System.Text;
using ContainerPS.Runtime.Init;
using ContainerPS.Runtime.Spawning;
using Microsoft.Win32.SafeHandles;

namespace ContainerPS.Shim.Init;

/// <summary>
/// The child side of the start protocol shared by init and exec: fd 3 "go" (one byte when
/// the parent has put us in the cgroup), fd 4 the close-on-exec error pipe ("&lt;code&gt; &lt;message&gt;"
/// on failure, EOF on a successful execve).
/// </summary>
internal static class SyncPipes
{
    public const int GoFd = 3, ErrorFd = 4;

    /// <summary>Blocks until released; false when the parent gave up (EOF).</summary>
    public static bool WaitForGo() => WaitForGo(out _);

    /// <summary>
    /// As <see cref="WaitForGo()"/>; the release may carry a terminal size (rows, cols: two
    /// big-endian u16 after the go byte, one write, so one read gets all of it).
    /// </summary>
    public static unsafe bool WaitForGo(out (int Rows, int Cols)? size)
    {
        var b = stackalloc byte[5];
        nint n;
        do n = SpawnNative.read(GoFd, b, 5);
        while (n < 0 && Marshal.GetLastPInvokeError() == 4);
        SpawnNative.close(GoFd);
        SpawnNative.fcntl(ErrorFd, SpawnNative.F_SETFD, SpawnNative.FD_CLOEXEC);
        size = n == 5 ? ((b[1] << 8) | b[2], (b[3] << 8) | b[4]) : null;
        return n >= 1;
    }

    /// <summary>Reports a start failure to the parent and returns the exit code for it.</summary>
    public static int Fail(int exitCode, string message)
    {
        try
        {
            using var errors = new FileStream(new SafeFileHandle(ErrorFd, ownsHandle: false), FileAccess.Write, 1);
            errors.Write(Encoding.UTF8.GetBytes($"{exitCode} {message}"));
        }
        catch (IOException)
        {
        }
        return exitCode;
    }

    /// <summary>Docker's exit codes for a command that cannot run: 127 not found, 126 not executable, else 125.</summary>
    public static int ExitCodeFor(ContainerInitException ex)
    {
        if (ex.Message.Contains("not found in $PATH", StringComparison.Ordinal) || ex.Errno == 2) return 127;
        if (ex.Errno is 13 or 8 or 21) return 126; // EACCES, ENOEXEC, EISDIR
        return 125;
    }
}
