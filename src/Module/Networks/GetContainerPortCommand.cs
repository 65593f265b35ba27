using System.Management.Automation;
using ContainerPS.Engine.Networking;
using ContainerPS.Module.Containers;

namespace ContainerPS.Module.Networks;

/// <summary>
/// Gets the published ports of running containers (docker port): one ContainerPortMapping per
/// host binding, optionally only those of one container port ("80", "53/udp").
/// </summary>
[Cmdlet(VerbsCommon.Get, "ContainerPort", DefaultParameterSetName = NameSet)]
[OutputType(typeof(ContainerPortMapping))]
public sealed class GetContainerPortCommand : ContainerTargetCmdlet
{
    /// <summary>A container port, "80" or "80/tcp".</summary>
    [Parameter(Position = 1)]
    [ValidatePattern(@"^\d{1,5}(/(tcp|udp))?$")]
    public string? Port { get; set; }

    protected override void ProcessRecord()
    {
        foreach (var (container, _) in Targets())
        {
            foreach (var p in container.Ports)
            {
                if (Port is not null)
                {
                    var parts = Port.Split('/');
                    if (p.ContainerPort.ToString(System.Globalization.CultureInfo.InvariantCulture) != parts[0]) continue;
                    if (parts.Length > 1 && p.Protocol != parts[1]) continue;
                }
                WriteObject(new ContainerPortMapping(container.Name, p.ContainerPort, p.Protocol, p.HostIp.Length == 0 ? "0.0.0.0" : p.HostIp, p.HostPort));
            }
        }
    }
}
