using System.Management.Automation;
using ContainerPS.Engine.Containers;

namespace ContainerPS.Module.Containers;

/// <summary>
/// Removes containers (docker rm): their writable layer, log and record. A running container
/// needs -Force (it is killed first). -Stopped removes every stopped container (docker
/// container prune), which asks for confirmation unless -Force or -Confirm:$false.
/// </summary>
[Cmdlet(VerbsCommon.Remove, "Container", DefaultParameterSetName = NameSet,
    SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(Container))]
public sealed class RemoveContainerCommand : ContainerTargetCmdlet
{
    private const string StoppedSet = "Stopped";

    /// <summary>Removes every container that is not running (docker container prune).</summary>
    [Parameter(ParameterSetName = StoppedSet, Mandatory = true)]
    [Alias("Prune")]
    public SwitchParameter Stopped { get; set; }

    /// <summary>Kills and removes running containers (docker rm -f); with -Stopped, does not ask.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>Also removes the container's anonymous volumes (docker rm -v); named volumes stay.</summary>
    [Parameter]
    [Alias("v")]
    public SwitchParameter Volumes { get; set; }

    /// <summary>Writes each removed container (its last state).</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        if (ParameterSetName == StoppedSet)
        {
            Prune();
            return;
        }

        foreach (var (container, target) in Targets())
        {
            var action = Force ? "Remove container (killing it if it runs)" : "Remove container";
            if (!ShouldProcess(Describe(container), action)) continue;
            if (TryRun($"Removing {container.Name}", token => Containers.RemoveAsync(container.Id, Force, Volumes, token), target, out var removed) && PassThru)
                WriteObject(removed);
        }
    }

    private void Prune()
    {
        var stopped = ListAll().Where(c => !c.Running).ToList();
        if (stopped.Count == 0) return;
        var what = $"{stopped.Count} stopped container(s): {string.Join(", ", stopped.Select(c => c.Name))}";
        if (!ShouldProcess(what, "Remove")) return;
        // Pruning is High impact: ask even at the default $ConfirmPreference, as docker
        // container prune does, unless -Force, -Confirm:$false or $ConfirmPreference = 'None'.
        if (!Force && NeedsHighImpactConfirmation()
            && !ShouldContinue($"Remove {what}?", "Remove stopped containers"))
            return;

        foreach (var container in stopped)
        {
            // One by one, so each failure is its own error and -PassThru streams.
            if (TryRun($"Removing {container.Name}", token => Containers.RemoveAsync(container.Id, force: false, Volumes, token), container, out var removed) && PassThru)
                WriteObject(removed);
        }
    }

    /// <summary>
    /// Whether a High-impact action still needs a question: ShouldProcess asked already when
    /// -Confirm was given (or $ConfirmPreference is Medium or Low); -Confirm:$false and
    /// $ConfirmPreference = 'None' mean "do not ask".
    /// </summary>
    private bool NeedsHighImpactConfirmation()
    {
        if (MyInvocation.BoundParameters.ContainsKey("Confirm"))
            return false; // -Confirm (asked already) or -Confirm:$false (do not ask)
        var preference = SessionState.PSVariable.GetValue("ConfirmPreference");
        var impact = preference is null ? ConfirmImpact.High : LanguagePrimitives.ConvertTo<ConfirmImpact>(preference);
        // ShouldProcess has asked when the preference is at or below Medium (our declared impact).
        return impact == ConfirmImpact.High;
    }
}
