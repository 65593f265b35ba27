using System.Management.Automation;
using ContainerPS.Module.Completion;

namespace ContainerPS.Module.Networks;

/// <summary>Connect-/Disconnect-ContainerNetwork: a network, the containers (by name or from the pipeline), -PassThru.</summary>
public abstract class NetworkMembershipCmdlet : NetworkCmdlet
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

    /// <summary>Writes each container afterwards.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }
}
