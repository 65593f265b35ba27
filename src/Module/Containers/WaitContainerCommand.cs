using System.Management.Automation;

namespace ContainerPS.Module.Containers;

/// <summary>Waits until containers exit and writes their exit codes (docker wait).</summary>
[Cmdlet(VerbsLifecycle.Wait, "Container", DefaultParameterSetName = NameSet)]
[OutputType(typeof(ContainerWaitResult))]
public sealed class WaitContainerCommand : ContainerTargetCmdlet
{
    protected override void ProcessRecord()
    {
        foreach (var (container, target) in Targets())
        {
            if (TryRun($"Waiting for {container.Name}", token => Containers.WaitAsync(container.Id, token), target, out var exitCode))
                WriteObject(new ContainerWaitResult(container.Name, container.Id, exitCode));
        }
    }
}
