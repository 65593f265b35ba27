using System.Management.Automation;
using ContainerPS.Engine.Containers;

namespace ContainerPS.Module.Containers;

/// <summary>Freezes every process of running containers (docker pause).</summary>
[Cmdlet(VerbsLifecycle.Suspend, "Container", DefaultParameterSetName = NameSet,
    SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(Container))]
public sealed class SuspendContainerCommand : ContainerTargetCmdlet
{
    /// <summary>Writes each container after it was paused.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        foreach (var (container, target) in Targets())
        {
            if (!ShouldProcess(Describe(container), "Suspend (pause) container")) continue;
            if (TryRun($"Pausing {container.Name}", token => Containers.PauseAsync(container.Id, pause: true, token), target, out var paused) && PassThru)
                WriteObject(paused);
        }
    }
}
