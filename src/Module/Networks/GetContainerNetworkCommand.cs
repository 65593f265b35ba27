using System.Management.Automation;
using ContainerPS.Engine.Networking;
using ContainerPS.Module.Completion;

namespace ContainerPS.Module.Networks;

/// <summary>Gets networks (docker network ls / inspect): the built-in bridge, host and none, and user-defined networks.</summary>
[Cmdlet(VerbsCommon.Get, "ContainerNetwork", DefaultParameterSetName = "Name")]
[OutputType(typeof(ContainerNetwork))]
public sealed class GetContainerNetworkCommand : NetworkCmdlet
{
    /// <summary>Network names (wildcards allowed) or IDs; every network when omitted.</summary>
    [Parameter(ParameterSetName = "Name", Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(NetworkNameCompleter))]
    public string[]? Name { get; set; }

    /// <summary>Network IDs or unique ID prefixes.</summary>
    [Parameter(ParameterSetName = "Id", Mandatory = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string[] Id { get; set; } = Array.Empty<string>();

    protected override void ProcessRecord()
    {
        if (ParameterSetName == "Id")
        {
            foreach (var n in ResolveNetworks(Id)) WriteObject(n);
            return;
        }
        if (Name is null)
        {
            if (TryEngine(() => Networks.List(), null, out var all)) foreach (var n in all) WriteObject(n);
            return;
        }
        foreach (var n in ResolveNetworks(Name)) WriteObject(n);
    }
}
