using System.Management.Automation;
using ContainerPS.Engine.Containers;

namespace ContainerPS.Module.Networks;

/// <summary>Disconnects containers from a network (docker network disconnect): a running container loses that interface at once.</summary>
[Cmdlet(VerbsCommunications.Disconnect, "ContainerNetwork", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(Container))]
public sealed class DisconnectContainerNetworkCommand : NetworkMembershipCmdlet
{
    protected override void ProcessRecord()
    {
        foreach (var (c, target) in ResolveNames(Container))
        {
            if (!ShouldProcess(Describe(c), $"Disconnect from network {Network}")) continue;
            if (TryEngine(() => Containers.Disconnect(c.Id, Network), target, out var disconnected) && PassThru) WriteObject(disconnected);
        }
    }
}
