using ContainerPS.Engine.Errors;
using ContainerPS.Runtime.Monitor;

namespace ContainerPS.Engine.Containers;

/// <summary>
/// Which verbs a container's state allows (youki/containerd style): illegal transitions fail
/// with a typed error naming the state, in Docker's words where Docker has them.
/// </summary>
public static class ContainerStateRules
{
    public static bool CanStart(ContainerStatus s) => s is ContainerStatus.Created or ContainerStatus.Exited;
    public static bool CanStop(ContainerStatus s) => s is ContainerStatus.Running or ContainerStatus.Paused or ContainerStatus.Restarting;
    public static bool CanPause(ContainerStatus s) => s is ContainerStatus.Running;
    public static bool CanResume(ContainerStatus s) => s is ContainerStatus.Paused;
    public static bool CanExec(ContainerStatus s) => s is ContainerStatus.Running;

    public static void EnsurePaused(Container c)
    {
        if (!CanResume(c.State))
            throw new ConflictException("ContainerNotPaused", $"Container {c.Id} is not paused", c.Name, ErrorKind.FailedPrecondition);
    }

    public static void EnsureRunning(Container c, string what)
    {
        if (c.State == ContainerStatus.Paused)
            throw new ConflictException("ContainerPaused", $"Container {c.Id} is paused, unpause the container before {what}", c.Name, ErrorKind.FailedPrecondition);
        if (!CanExec(c.State))
            throw new ConflictException("ContainerNotRunning", $"Container {c.Id} is not running", c.Name, ErrorKind.FailedPrecondition);
    }
}
