using System.Management.Automation;
using ContainerPS.Engine.Containers;

namespace ContainerPS.Module.Containers;

/// <summary>
/// Stops running containers (docker stop): the stop signal, then SIGKILL after -Timeout
/// seconds. -Force kills at once (docker kill), with -Signal to send another signal.
/// </summary>
[Cmdlet(VerbsLifecycle.Stop, "Container", DefaultParameterSetName = NameSet,
    SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(Container))]
public sealed class StopContainerCommand : ContainerTargetCmdlet
{
    /// <summary>Seconds to wait after the stop signal before SIGKILL; the container's StopTimeout, else 10.</summary>
    [Parameter]
    [Alias("t", "Time")]
    [ValidateRange(-1, int.MaxValue)]
    public int? Timeout { get; set; }

    /// <summary>The signal to send ("SIGTERM", "TERM", "15"); with -Force the default is SIGKILL.</summary>
    [Parameter]
    [Alias("s")]
    [ValidateNotNullOrEmpty]
    public string? Signal { get; set; }

    /// <summary>Kills the container at once instead of stopping it gracefully (docker kill).</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>Writes each container after it stopped.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        foreach (var (container, target) in Targets())
        {
            if (!ShouldProcess(Describe(container), Force ? $"Kill container ({Signal ?? "SIGKILL"})" : "Stop container")) continue;

            // A container that is not running is already stopped: nothing to do, no error.
            if (!TryEngine(() => Containers.Get(container.Id), target, out var current)) continue;
            Container result = current;
            var ok = !current.Running
                || (Force
                    ? TryRun($"Killing {container.Name}", token => Containers.KillAsync(container.Id, Signal, token), target, out result)
                    : TryRun($"Stopping {container.Name}", token => Containers.StopAsync(container.Id, Timeout, Signal, token), target, out result));
            if (ok && PassThru) WriteObject(result);
        }
    }
}
