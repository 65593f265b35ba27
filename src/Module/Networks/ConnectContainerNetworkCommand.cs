using System.Management.Automation;
using ContainerPS.Engine.Containers;
using ContainerPS.Module.Completion;

namespace ContainerPS.Module.Networks;

/// <summary>
/// Connects containers to a network (docker network connect): a running container gets a new
/// interface at once and its peers learn its name; a stopped one joins on its next start.
/// </summary>
[Cmdlet(VerbsCommunications.Connect, "ContainerNetwork", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(Container))]
public sealed class ConnectContainerNetworkCommand : NetworkCmdlet
{
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(NetworkNameCompleter))]
    public string Network { get; set; } = "";

    /// <summary>Container names or IDs; containers from Get-Container by their Name.</summary>
    [Parameter(Mandatory = true, Position = 1, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("Name")]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ContainerNameCompleter))]
    public string[] Container { get; set; } = Array.Empty<string>();

    /// <summary>Extra names the container answers to on this network.</summary>
    [Parameter]
    [Alias("NetworkAlias")]
    [ValidateNotNullOrEmpty]
    public string[]? Alias { get; set; }

    /// <summary>Writes each connected container.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        foreach (var (c, target) in ResolveNames(Container))
        {
            if (!ShouldProcess(Describe(c), $"Connect to network {Network}")) continue;
            if (TryEngine(() => Containers.Connect(c.Id, Network, Alias), target, out var connected) && PassThru) WriteObject(connected);
        }
    }
}
