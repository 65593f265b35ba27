using System.Runtime.InteropServices;
using System.Text;
using ContainerPS.Runtime.Init;
using ContainerPS.Runtime.Linux;
using ContainerPS.Runtime.Spawning;
using ContainerPS.Runtime.Spec;
using ContainerPS.Runtime.Terminal;
using Microsoft.Win32.SafeHandles;

namespace ContainerPS.Shim.Init;

/// <summary>
/// The container's PID 1 until exec. Started by the monitor in the new namespaces with the
/// rootfs already mounted; fd 3 is the "go" pipe (released once the monitor has put this
/// process in its cgroup), fd 4 the error pipe: close-on-exec, so a successful execve closes
/// it (the monitor reads EOF), and a failure writes "&lt;exit code&gt; &lt;message&gt;" to it.
/// </summary>
public static class InitMain
{
    private const int CLONE_NEWCGROUP = 0x02000000;
    private const int ErrorFd = 4, GoFd = 3;

    public static int Run(string bundle, bool tty)
    {
        if (!WaitForGo()) return 1; // the monitor gave up on us before release
        SpawnNative.fcntl(ErrorFd, SpawnNative.F_SETFD, SpawnNative.FD_CLOEXEC);
        try
        {
            // Joined to the container's cgroup by now: make it the root of our cgroup view.
            if (SpawnNative.unshare(CLONE_NEWCGROUP) != 0)
                throw new ContainerInitException($"unshare(CLONE_NEWCGROUP): {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
            if (tty) Pty.MakeControllingTerminal(0);
            var spec = SpecJson.Load(Path.Combine(bundle, SpecJson.FileName));
            var root = spec.Root?.Path ?? "rootfs";
            ContainerInit.Run(SpecAdapter.FromSpec(spec, Path.IsPathRooted(root) ? root : Path.Combine(bundle, root)), new LinuxSyscalls());
            return Fail(125, "execve returned without an error"); // unreachable with the real syscalls
        }
        catch (ContainerInitException ex)
        {
            return Fail(ExitCodeFor(ex), ex.Message);
        }
        catch (Exception ex)
        {
            return Fail(125, ex.Message);
        }
    }

    /// <summary>Docker's exit codes for a command that cannot run: 127 not found, 126 not executable.</summary>
    private static int ExitCodeFor(ContainerInitException ex)
    {
        if (ex.Message.Contains("not found in $PATH", StringComparison.Ordinal) || ex.Errno == 2) return 127;
        if (ex.Errno is 13 or 8 or 21) return 126; // EACCES, ENOEXEC, EISDIR
        return 125;
    }

    private static unsafe bool WaitForGo()
    {
        byte b;
        nint n;
        do n = SpawnNative.read(GoFd, &b, 1);
        while (n < 0 && Marshal.GetLastPInvokeError() == 4);
        SpawnNative.close(GoFd);
        return n == 1;
    }

    private static int Fail(int exitCode, string message)
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
}
