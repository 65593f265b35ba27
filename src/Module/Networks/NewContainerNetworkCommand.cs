using System.Collections;
using System.Management.Automation;
using ContainerPS.Engine.Networking;
using ContainerPS.Module.Containers;

namespace ContainerPS.Module.Networks;

/// <summary>
/// Creates a user-defined bridge network (docker network create). Containers on it reach each
/// other by container name and -NetworkAlias; containers on other networks cannot reach them.
/// Without -Subnet a free /24 is chosen from 10.89.0.0/16, avoiding every subnet this host routes.
/// </summary>
[Cmdlet(VerbsCommon.New, "ContainerNetwork", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(ContainerNetwork))]
public sealed class NewContainerNetworkCommand : NetworkCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string Name { get; set; } = "";

    /// <summary>IPv4 subnet in CIDR form ("10.90.1.0/24").</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Subnet { get; set; }

    /// <summary>The bridge's address in the subnet; the first host address when omitted.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Gateway { get; set; }

    /// <summary>No route out of the network (no gateway address, no NAT).</summary>
    [Parameter]
    public SwitchParameter Internal { get; set; }

    /// <summary>Labels: a hashtable, or "key=value" strings.</summary>
    [Parameter]
    [KeyValueTransformation]
    public IDictionary? Label { get; set; }

    protected override void ProcessRecord()
    {
        if (!ShouldProcess(Name, "Create network")) return;
        var options = new NetworkCreateOptions { Name = Name, Subnet = Subnet, Gateway = Gateway, Internal = Internal.IsPresent };
        if (Label is not null)
            foreach (DictionaryEntry e in Label) options.Labels[LanguagePrimitives.ConvertTo<string>(e.Key)] = e.Value is null ? "" : LanguagePrimitives.ConvertTo<string>(e.Value);
        if (TryEngine(() => Networks.Create(options), Name, out var network)) WriteObject(network);
    }
}
