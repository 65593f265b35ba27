using System.Management.Automation;
using ContainerPS.Engine.Containers;

namespace ContainerPS.Module.Containers;

/// <summary>Thaws paused containers (docker unpause).</summary>
[Cmdlet(VerbsLifecycle.Resume, "Container", DefaultParameterSetName = NameSet,
    SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(Container))]
public sealed class ResumeContainerCommand : ContainerTargetCmdlet
{
    /// <summary>Writes each container after it was resumed.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        foreach (var (container, target) in Targets())
        {
            if (!ShouldProcess(Describe(container), "Resume (unpause) container")) continue;
            if (TryRun($"Resuming {container.Name}", token => Containers.PauseAsync(container.Id, pause: false, token), target, out var resumed) && PassThru)
                WriteObject(resumed);
        }
    }
}
