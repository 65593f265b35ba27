using System.Management.Automation;
using ContainerPS.Engine.Containers;

namespace ContainerPS.Module.Containers;

/// <summary>Stops (if running) and starts containers again (docker restart).</summary>
[Cmdlet(VerbsLifecycle.Restart, "Container", DefaultParameterSetName = NameSet,
    SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(Container))]
public sealed class RestartContainerCommand : ContainerTargetCmdlet
{
    /// <summary>Seconds to wait after the stop signal before SIGKILL; the container's StopTimeout, else 10.</summary>
    [Parameter]
    [Alias("t", "Time")]
    [ValidateRange(-1, int.MaxValue)]
    public int? Timeout { get; set; }

    /// <summary>Writes each container after it started again.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        foreach (var (container, target) in Targets())
        {
            if (!ShouldProcess(Describe(container), "Restart container")) continue;
            if (TryRun($"Restarting {container.Name}", token => Containers.RestartAsync(container.Id, Timeout, token), target, out var restarted) && PassThru)
                WriteObject(restarted);
        }
    }
}
