using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using ContainerPS.Runtime.Init;
using ContainerPS.Runtime.Linux;
using ContainerPS.Runtime.Monitor;
using ContainerPS.Runtime.Spawning;
using ContainerPS.Runtime.Terminal;
using Microsoft.Win32.SafeHandles;

namespace ContainerPS.Shim.Init;

/// <summary>
/// docker exec's process inside a running container. The engine spawned this binary from a
/// thread that had joined the container's namespaces except the mount namespace; fd 3 is "go"
/// (released once we are in the container's cgroup), fd 4 the close-on-exec error pipe, fd 5
/// the <see cref="ExecRequest"/>, fd 6 the container's mount namespace, joined last by this
/// thread (after unshare(CLONE_FS): the runtime's other threads share our fs attributes), so
/// this host binary and its loader were found before the container's root applies. Then the
/// user, capabilities and working directory as the container's init set them, and execve —
/// which keeps this thread's namespaces. With a TTY, fd 7 is the console socket: the terminal
/// is made in the container (<see cref="ConsoleSetup"/>) and its master sent back on it.
/// </summary>
public static class ExecMain
{
    private const int RequestFd = 5, MountNamespaceFd = 6, ConsoleSocketFd = 7;
    private const int CLONE_FS = 0x00000200, CLONE_NEWNS = 0x00020000;

    public static int Run()
    {
        SpawnNative.fcntl(MountNamespaceFd, SpawnNative.F_SETFD, SpawnNative.FD_CLOEXEC);
        if (!SyncPipes.WaitForGo()) return 1;
        try
        {
            ExecRequest request;
            using (var input = new FileStream(new SafeFileHandle(RequestFd, ownsHandle: true), FileAccess.Read, 1))
                request = JsonSerializer.Deserialize(input, MonitorJsonContext.Default.ExecRequest) ?? throw new InvalidDataException("empty exec request");
            if (SpawnNative.unshare(CLONE_FS) != 0 || SpawnNative.setns(MountNamespaceFd, CLONE_NEWNS) != 0)
                return SyncPipes.Fail(125, $"joining the container's mount namespace: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
            SpawnNative.close(MountNamespaceFd);
            var sys = new LinuxSyscalls();
            // In the container's root now: the terminal comes from its devpts (the next /dev/pts/N there).
            if (request.Tty) ConsoleSetup.Run(sys, ConsoleSocketFd, mountConsole: false,
                request.ConsoleRows > 0 && request.ConsoleCols > 0 ? (request.ConsoleRows, request.ConsoleCols) : null);
            var process = new ProcessRequest
            {
                Args = request.Args,
                Env = request.Env,
                Cwd = request.Cwd,
                Uid = request.Uid,
                Gid = request.Gid,
                AdditionalGids = request.AdditionalGids,
                NoNewPrivileges = request.NoNewPrivileges,
                Capabilities = new CapabilityRequest
                {
                    Bounding = request.Bounding,
                    Effective = request.Effective,
                    Permitted = request.Permitted,
                    Inheritable = request.Inheritable,
                    Ambient = request.Ambient,
                },
            };
            new ProcessSetup(sys, process).Run();
            return SyncPipes.Fail(125, "execve returned without an error");
        }
        catch (ContainerInitException ex)
        {
            return SyncPipes.Fail(SyncPipes.ExitCodeFor(ex), ex.Message);
        }
        catch (Exception ex)
        {
            return SyncPipes.Fail(125, ex.Message);
        }
    }


}
