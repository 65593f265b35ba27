using System.Management.Automation;
using ContainerPS.Engine.Containers;

namespace ContainerPS.Module.Containers;

/// <summary>Gives a container a new name (docker rename).</summary>
[Cmdlet(VerbsCommon.Rename, "Container", DefaultParameterSetName = NameSet,
    SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(Container))]
public sealed class RenameContainerCommand : ContainerTargetCmdlet
{
    /// <summary>The new name ([a-zA-Z0-9][a-zA-Z0-9_.-]+), unused by any other container.</summary>
    [Parameter(Mandatory = true, Position = 1)]
    [ValidateNotNullOrEmpty]
    public string NewName { get; set; } = "";

    /// <summary>Writes the renamed container.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        var targets = Targets();
        if (targets.Count > 1)
        {
            WriteError(NewError(
                new ArgumentException($"Rename-Container renames one container, but {targets.Count} matched: {string.Join(", ", targets.Select(t => t.Container.Name))}."),
                "TooManyContainers", ErrorCategory.InvalidArgument, NewName));
            return;
        }

        foreach (var (container, target) in targets)
        {
            if (!ShouldProcess(Describe(container), $"Rename container to '{NewName}'")) continue;
            if (TryEngine(() => Containers.Rename(container.Id, NewName), target, out var renamed) && PassThru)
                WriteObject(renamed);
        }
    }
}
