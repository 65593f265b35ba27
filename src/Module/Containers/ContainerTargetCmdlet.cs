using System.Management.Automation;
using ContainerPS.Engine.Containers;
using ContainerPS.Module.Completion;

namespace ContainerPS.Module.Containers;

/// <summary>
/// Base of the cmdlets that act on existing containers (Stop-, Remove-, Rename-Container...):
/// the -Name / -Id / -InputObject parameter sets of convention 1, so that
/// <c>Stop-Container web</c>, <c>Stop-Container -Id 3f4e</c>, <c>'web' | Stop-Container</c>,
/// <c>Get-Container | Stop-Container</c> and objects with a Name or Id property all work.
/// Derived cmdlets declare <c>DefaultParameterSetName = NameSet</c> and act on <see cref="Targets"/>.
/// </summary>
public abstract class ContainerTargetCmdlet : ContainerCmdlet
{
    protected const string NameSet = "Name";
    protected const string IdSet = "Id";
    protected const string InputObjectSet = "InputObject";

    /// <summary>Container names (wildcards allowed), or IDs and unique ID prefixes, as docker accepts them.</summary>
    [Parameter(ParameterSetName = NameSet, Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ContainerNameCompleter))]
    public string[] Name { get; set; } = Array.Empty<string>();

    /// <summary>Container IDs or unique ID prefixes (wildcards allowed); never names.</summary>
    [Parameter(ParameterSetName = IdSet, Mandatory = true, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ContainerIdCompleter))]
    public string[] Id { get; set; } = Array.Empty<string>();

    /// <summary>Containers from Get-Container or New-Container.</summary>
    [Parameter(ParameterSetName = InputObjectSet, Mandatory = true, ValueFromPipeline = true)]
    [ValidateNotNull]
    public Container[] InputObject { get; set; } = Array.Empty<Container>();

    /// <summary>
    /// The containers this pipeline object stands for, each with the object to name in its
    /// errors (what the user typed, or the Container). Missing names are already reported.
    /// </summary>
    protected List<(Container Container, object Target)> Targets()
    {
        ForgetListing(); // earlier objects may have changed the store (renamed, removed)
        return ParameterSetName switch
        {
            InputObjectSet => InputObject.Select(c => (c, (object)c)).ToList(),
            IdSet => ResolveIds(Id),
            NameSet => ResolveNames(Name),
            _ => new List<(Container, object)>(),
        };
    }

    /// <summary>
    /// For the cmdlets that take over the console for one container at a time
    /// (Enter-Container, Connect-Container): the one container this pipeline object stands
    /// for; null (with an error) when it stands for none or, through a wildcard, for several.
    /// </summary>
    protected (Container Container, object Target)? SingleTarget()
    {
        var targets = Targets();
        if (targets.Count <= 1) return targets.Count == 1 ? targets[0] : null;
        var names = string.Join(", ", targets.Select(t => t.Container.Name));
        WriteError(new ErrorRecord(
            new ArgumentException($"{MyInvocation.MyCommand.Name} works with one container at a time; the name matches {targets.Count}: {names}."),
            "MultipleContainers", ErrorCategory.InvalidArgument, targets[0].Target));
        return null;
    }
}
