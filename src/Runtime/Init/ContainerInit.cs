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
    public static void Run(InitRequest request, ISyscalls sys)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(sys);
        var process = new ProcessSetup(sys, request.Process); // validates args before anything is mounted
        new RootfsSetup(sys, request.Rootfs).Run();
        process.Run();
    }
}
