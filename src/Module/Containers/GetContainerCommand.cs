using System.Management.Automation;
using ContainerPS.Engine.Containers;
using ContainerPS.Module.Completion;
using ContainerPS.Runtime.Monitor;

namespace ContainerPS.Module.Containers;

/// <summary>
/// Gets containers (docker ps, and docker inspect: the objects carry every property). Running
/// containers by default; -All for every state.
/// </summary>
[Cmdlet(VerbsCommon.Get, "Container", DefaultParameterSetName = NameSet)]
[OutputType(typeof(Container))]
public sealed class GetContainerCommand : ContainerCmdlet
{
    private const string NameSet = "Name";
    private const string IdSet = "Id";

    private readonly HashSet<string> _written = new(StringComparer.Ordinal);
    private bool _latestWritten;

    /// <summary>Container names (wildcards allowed), or IDs and unique ID prefixes. A plain name finds the container in any state.</summary>
    [Parameter(ParameterSetName = NameSet, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ContainerNameCompleter))]
    public string[]? Name { get; set; }

    /// <summary>Container IDs or unique ID prefixes (wildcards allowed).</summary>
    [Parameter(ParameterSetName = IdSet, Mandatory = true, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ContainerIdCompleter))]
    public string[]? Id { get; set; }

    /// <summary>Containers in every state, not only running ones (docker ps -a).</summary>
    [Parameter]
    [Alias("a")]
    public SwitchParameter All { get; set; }

    /// <summary>Only the most recently created container, in any state (docker ps -l).</summary>
    [Parameter]
    [Alias("l")]
    public SwitchParameter Latest { get; set; }

    /// <summary>Only containers in these states (implies -All).</summary>
    [Parameter]
    [ValidateSet("created", "running", "paused", "restarting", "exited", "dead", "removing", IgnoreCase = true)]
    public string[]? Status { get; set; }

    protected override void ProcessRecord()
    {
        ForgetListing();
        if (ParameterSetName == IdSet)
        {
            foreach (var id in Id!)
            {
                if (WildcardPattern.ContainsWildcardCharacters(id)) WriteListed(c => Pattern(id).IsMatch(c.Id));
                else foreach (var (c, _) in ResolveIds(new[] { id })) WriteOne(c);
            }
            return;
        }

        if (Name is null)
        {
            WriteListed(_ => true);
            return;
        }

        foreach (var name in Name)
        {
            if (WildcardPattern.ContainsWildcardCharacters(name)) WriteListed(c => Pattern(name).IsMatch(c.Name));
            else foreach (var (c, _) in ResolveNames(new[] { name })) WriteOne(c);
        }
    }

    /// <summary>Listed containers (running ones unless -All, -Latest or -Status) that <paramref name="matches"/>, newest first.</summary>
    private void WriteListed(Func<Container, bool> matches)
    {
        var everyState = All || Latest || Status is not null;
        foreach (var c in ListAll().Where(c => (everyState || c.Running) && matches(c)))
            WriteOne(c);
    }

    /// <summary>A container named outright is written in any state, unless -Status leaves it out.</summary>
    private void WriteOne(Container container)
    {
        if (Status is not null && !Status.Any(s => string.Equals(s, StateName(container.State), StringComparison.OrdinalIgnoreCase))) return;
        if (Latest)
        {
            if (_latestWritten) return;
            _latestWritten = true;
        }
        if (_written.Add(container.Id)) WriteObject(container);
    }

    private static string StateName(ContainerStatus state) => state.ToString().ToLowerInvariant();

    private static WildcardPattern Pattern(string text) =>
        new(text, WildcardOptions.IgnoreCase | WildcardOptions.CultureInvariant);
}
