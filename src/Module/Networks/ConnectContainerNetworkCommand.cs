using System.Management.Automation;
using ContainerPS.Engine.Containers;

namespace ContainerPS.Module.Networks;

/// <summary>
/// Connects containers to a network (docker network connect): a running container gets a new
/// interface at once and its peers learn its name; a stopped one joins on its next start.
/// </summary>
[Cmdlet(VerbsCommunications.Connect, "ContainerNetwork", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(Container))]
public sealed class ConnectContainerNetworkCommand : NetworkMembershipCmdlet
{
    /// <summary>Extra names the container answers to on this network.</summary>
    [Parameter]
    [Alias("NetworkAlias")]
    [ValidateNotNullOrEmpty]
    public string[]? Alias { get; set; }

    protected override void ProcessRecord()
    {
        foreach (var (c, target) in ResolveNames(Container))
        {
            if (!ShouldProcess(Describe(c), $"Connect to network {Network}")) continue;
            if (TryEngine(() => Containers.Connect(c.Id, Network, Alias), target, out var connected) && PassThru) WriteObject(connected);
        }
    }
}
