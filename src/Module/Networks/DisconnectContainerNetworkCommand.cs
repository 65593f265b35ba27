using System.Management.Automation;
using ContainerPS.Engine.Containers;
using ContainerPS.Module.Completion;

namespace ContainerPS.Module.Networks;

/// <summary>Disconnects containers from a network (docker network disconnect): a running container loses that interface at once.</summary>
[Cmdlet(VerbsCommunications.Disconnect, "ContainerNetwork", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(Container))]
public sealed class DisconnectContainerNetworkCommand : NetworkCmdlet
{
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(NetworkNameCompleter))]
    public string Network { get; set; } = "";

    [Parameter(Mandatory = true, Position = 1, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("Name")]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ContainerNameCompleter))]
    public string[] Container { get; set; } = Array.Empty<string>();

    /// <summary>Writes each disconnected container.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        foreach (var (c, target) in ResolveNames(Container))
        {
            if (!ShouldProcess(Describe(c), $"Disconnect from network {Network}")) continue;
            if (TryEngine(() => Containers.Disconnect(c.Id, Network), target, out var disconnected) && PassThru) WriteObject(disconnected);
        }
    }
}
