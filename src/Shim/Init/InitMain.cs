using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;
using System.Text;
using ContainerPS.Runtime.Cgroups;
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
/// it (the monitor reads EOF), and a failure writes "&lt;exit code&gt; &lt;message&gt;" to it. With
/// "tty", fd 5 is the console socket and fds 0-2 are /dev/null until the terminal is made.
/// </summary>
public static class InitMain
{
    private const int CLONE_NEWCGROUP = 0x02000000;

    /// <summary>With a terminal: the <see cref="ConsoleSocket"/> its master goes back to the monitor on.</summary>
    private const int ConsoleSocketFd = 5;

    /// <summary>
    /// init &lt;bundle&gt; notty -: started by an early monitor before the container existed
    /// (<c>InitPrelaunch</c>), already in its namespaces and network. The go pipe brings, in
    /// order: the set-up (<see cref="InitSetup"/>: cgroup tasks files); the byte saying the
    /// container exists (config.json written); the go byte (the rootfs mounted by then).
    /// </summary>
    public static int RunPrelaunched(string bundle)
    {
        // Unbuffered: nothing beyond each message is read (SyncPipes reads the go byte). No time
        // limit: the monitor ends this process when it gives up on it.
        using var go = new FileStream(new SafeFileHandle(SyncPipes.GoFd, ownsHandle: false), FileAccess.Read, 1);
        InitSetup setup;
        try
        {
            if (InitSetup.Read(go) is not { } read) return 1; // the monitor gave up on us
            setup = read;
            if (go.Read(new byte[1]) == 0) return 1; // the create failed: no container
        }
        catch (Exception ex) when (ex is IOException or FormatException)
        {
            return SyncPipes.Fail(125, "init set-up: " + ex.Message);
        }
        return Run(bundle, tty: false, setup.CgroupTaskFiles);
    }

    public static int Run(string bundle, bool tty, IReadOnlyList<string> cgroupTaskFiles)
    {
        // config.json is read while the monitor still sets up its side (control socket, cgroup,
        // state): the parse is then off the start path. Its errors are reported after the
        // release, on the error pipe, like every other start error.
        InitRequest? request = null;
        ExceptionDispatchInfo? early = null;
        try
        {
            request = InitSpecReader.Load(Path.Combine(bundle, SpecJson.FileName));
        }
        catch (Exception ex)
        {
            early = ExceptionDispatchInfo.Capture(ex);
        }
        if (!SyncPipes.WaitForGo(out var size)) return 1; // the monitor gave up on us before release
        try
        {
            early?.Throw();
            // This (main) thread is the one that execs: it joins the v1 cgroups itself, which
            // skips the kernel's global migration lock (see CgroupSelfJoin); v2 was done by PID.
            CgroupSelfJoin.Join(cgroupTaskFiles);
            // Joined to the container's cgroup by now: make it the root of our cgroup view.
            if (SpawnNative.unshare(CLONE_NEWCGROUP) != 0)
                throw new ContainerInitException($"unshare(CLONE_NEWCGROUP): {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
            // A terminal is made in the container, once its devpts is mounted (ConsoleSetup).
            var sys = new LinuxSyscalls();
            ContainerInit.Run(request!, sys, tty ? () => ConsoleSetup.Run(sys, ConsoleSocketFd, mountConsole: true, size) : null);
            return SyncPipes.Fail(125, "execve returned without an error"); // unreachable with the real syscalls
        }
        catch (ContainerInitException ex)
        {
            return SyncPipes.Fail(SyncPipes.ExitCodeFor(ex), ex.Message);
        }
        catch (CgroupException ex)
        {
            return SyncPipes.Fail(125, "joining the container's cgroup: " + ex.Message);
        }
        catch (Exception ex)
        {
            return SyncPipes.Fail(125, ex.Message);
        }
    }



}
