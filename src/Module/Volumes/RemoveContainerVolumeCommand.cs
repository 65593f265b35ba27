using System.Management.Automation;
using ContainerPS.Engine.Volumes;
using ContainerPS.Module.Completion;
using ContainerPS.Module.Containers;

namespace ContainerPS.Module.Volumes;

/// <summary>
/// Removes volumes (docker volume rm) — refused while any container, running or not, mounts
/// one — or, with -Unused, every volume no container mounts (docker volume prune: anonymous
/// ones only unless -All), asking first unless -Force or -Confirm:$false.
/// </summary>
[Cmdlet(VerbsCommon.Remove, "ContainerVolume", DefaultParameterSetName = NameSet,
    SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(Volume))]
public sealed class RemoveContainerVolumeCommand : ContainerCmdlet
{
    private const string NameSet = "Name";
    private const string InputObjectSet = "InputObject";
    private const string UnusedSet = "Unused";

    /// <summary>Volume names; wildcards allowed.</summary>
    [Parameter(ParameterSetName = NameSet, Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(VolumeNameCompleter))]
    public string[] Name { get; set; } = Array.Empty<string>();

    /// <summary>Volumes from Get-ContainerVolume.</summary>
    [Parameter(ParameterSetName = InputObjectSet, Mandatory = true, ValueFromPipeline = true)]
    [ValidateNotNull]
    public Volume[] InputObject { get; set; } = Array.Empty<Volume>();

    /// <summary>Removes every volume no container mounts (docker volume prune).</summary>
    [Parameter(ParameterSetName = UnusedSet, Mandatory = true)]
    [Alias("Prune")]
    public SwitchParameter Unused { get; set; }

    /// <summary>With -Unused: named volumes too, not only anonymous ones (docker volume prune -a).</summary>
    [Parameter(ParameterSetName = UnusedSet)]
    public SwitchParameter All { get; set; }

    /// <summary>With -Unused: does not ask.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>Writes each removed volume.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        switch (ParameterSetName)
        {
            case UnusedSet:
                var what = All ? "every unused volume" : "every unused anonymous volume";
                if (!ShouldProcess(what, "Remove")) return;
                if (!Force && !MyInvocation.BoundParameters.ContainsKey("Confirm") && !ShouldContinue($"Remove {what}?", "Remove unused volumes")) return;
                if (TryEngine(() => Containers.Volumes.Prune(All), null, out var pruned) && PassThru)
                    foreach (var v in pruned) WriteObject(v);
                return;
            case InputObjectSet:
                foreach (var v in InputObject) Remove(v.Name, v);
                return;
        }
        foreach (var n in Name)
        {
            if (!WildcardPattern.ContainsWildcardCharacters(n))
            {
                Remove(n, n);
                continue;
            }
            var p = new WildcardPattern(n, WildcardOptions.IgnoreCase | WildcardOptions.CultureInvariant);
            foreach (var v in Containers.Volumes.Names().Where(p.IsMatch)) Remove(v, v);
        }
    }

    private void Remove(string name, object target)
    {
        if (!ShouldProcess(name, "Remove volume")) return;
        if (TryEngine(() => Containers.Volumes.Remove(name), target, out var removed) && PassThru) WriteObject(removed);
    }
}
