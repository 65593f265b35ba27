using System.Management.Automation;
using ContainerPS.Engine.Networking;
using ContainerPS.Module.Completion;

namespace ContainerPS.Module.Networks;

/// <summary>
/// Removes user-defined networks (docker network rm), refusing while a running container is on
/// one; -Unused removes every network no container refers to (docker network prune). The
/// bridge device, its firewall rules and its address leases go with it.
/// </summary>
[Cmdlet(VerbsCommon.Remove, "ContainerNetwork", DefaultParameterSetName = "Name", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(ContainerNetwork))]
public sealed class RemoveContainerNetworkCommand : NetworkCmdlet
{
    [Parameter(ParameterSetName = "Name", Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(NetworkNameCompleter))]
    public string[] Name { get; set; } = Array.Empty<string>();

    /// <summary>Networks from Get-ContainerNetwork.</summary>
    [Parameter(ParameterSetName = "InputObject", Mandatory = true, ValueFromPipeline = true)]
    [ValidateNotNull]
    public ContainerNetwork[] InputObject { get; set; } = Array.Empty<ContainerNetwork>();

    /// <summary>Removes every user-defined network no container refers to (docker network prune).</summary>
    [Parameter(ParameterSetName = "Unused", Mandatory = true)]
    [Alias("Prune")]
    public SwitchParameter Unused { get; set; }

    /// <summary>With -Unused: does not ask.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>Writes each removed network.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        if (ParameterSetName == "Unused")
        {
            if (!ShouldProcess("every unused network", "Remove")) return;
            if (!Force && !MyInvocation.BoundParameters.ContainsKey("Confirm") && !ShouldContinue("Remove every network no container uses?", "Remove unused networks")) return;
            if (TryEngine(() => Networks.Prune(), null, out var pruned) && PassThru) foreach (var n in pruned) WriteObject(n);
            return;
        }
        var targets = ParameterSetName == "InputObject" ? InputObject.ToList() : ResolveNetworks(Name);
        foreach (var network in targets)
        {
            if (!ShouldProcess($"{network.Name} ({network.ShortId})", "Remove network")) continue;
            if (TryEngine(() => Networks.Remove(network.Id), network.Name, out var removed) && PassThru) WriteObject(removed);
        }
    }
}
