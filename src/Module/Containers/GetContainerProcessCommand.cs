using System.Management.Automation;
using ContainerPS.Engine.Containers.Stats;

namespace ContainerPS.Module.Containers;

/// <summary>
/// Gets the processes running in containers (docker top): one ContainerProcess per process,
/// with host PIDs and ps -ef's columns. A container that is not running writes a
/// non-terminating InvalidOperation error (ContainerNotRunning).
/// </summary>
[Cmdlet(VerbsCommon.Get, "ContainerProcess", DefaultParameterSetName = NameSet)]
[OutputType(typeof(ContainerProcess))]
public sealed class GetContainerProcessCommand : ContainerTargetCmdlet
{
    protected override void ProcessRecord()
    {
        foreach (var (container, target) in Targets())
        {
            if (!TryEngine(() => Containers.Top(container.Id), target, out var processes)) continue;
            foreach (var process in processes) WriteObject(process);
        }
    }
}
