using ContainerPS.Runtime.Linux;

namespace ContainerPS.Runtime.Init;

/// <summary>
/// What the container init runs inside the new namespaces (mount, pid, uts, ipc, net, cgroup
/// already unshared by the parent, the rootfs already mounted): <see cref="RootfsSetup"/>,
/// then <see cref="ProcessSetup"/>, ending in execve of the entrypoint.
/// </summary>
public static class ContainerInit
{
    /// <summary>
    /// Sets up the container and execve's its process. With the real <see cref="LinuxSyscalls"/>
    /// this does not return on success (the process image is replaced); with a recording
    /// implementation it returns after recording the execve.
    /// </summary>
    /// <exception cref="ContainerInitException">
    /// A step failed; the message says which and why ("mounting \"proc\" to rootfs at \"/proc\":
    /// mount proc on /r/proc: EPERM (Operation not permitted)"), a kernel refusal is the inner
    /// <see cref="SyscallError"/>.
    /// </exception>
    /// <param name="console">
    /// For a terminal: run inside the new root after pivot_root and before the read-only remounts
    /// (runc's order: every mount is in place, /dev still writable for /dev/console).
    /// </param>
    public static void Run(InitRequest request, ISyscalls sys, Action? console = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(sys);
        var process = new ProcessSetup(sys, request.Process); // validates args before anything is mounted
        var rootfs = new RootfsSetup(sys, request.Rootfs);
        rootfs.Prepare();
        rootfs.PivotRoot();
        console?.Invoke();
        rootfs.Finish();
        process.Run();
    }
}
