using System.Globalization;
using System.Management.Automation;
using ContainerPS.Engine.Containers;
using ContainerPS.Engine.Containers.Stats;
using ContainerPS.Module.Completion;
using ContainerPS.Module.Formatting;
using ContainerPS.Module.Infrastructure;

namespace ContainerPS.Module.Containers;

/// <summary>
/// Gets one resource-usage snapshot per container (docker stats --no-stream): CPU %, memory
/// usage and limit, network and block I/O, process count. Every running container by default;
/// -All adds the others (with zero figures). All containers are sampled together, so the call
/// takes one sampling interval whatever their number.
/// </summary>
[Cmdlet(VerbsCommon.Get, "ContainerStats", DefaultParameterSetName = NameSet)]
[OutputType(typeof(ContainerStats))]
public sealed class GetContainerStatsCommand : ContainerCmdlet
{
    private const string NameSet = "Name";
    private const string IdSet = "Id";
    private const string InputObjectSet = "InputObject";

    private readonly List<(Container Container, object Target)> _targets = new();
    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);
    private bool _listAll = true;

    /// <summary>Container names (wildcards allowed), or IDs and unique ID prefixes. Every running container when omitted.</summary>
    [Parameter(ParameterSetName = NameSet, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ContainerNameCompleter))]
    public string[]? Name { get; set; }

    /// <summary>Container IDs or unique ID prefixes (wildcards allowed); never names.</summary>
    [Parameter(ParameterSetName = IdSet, Mandatory = true, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ContainerIdCompleter))]
    public string[]? Id { get; set; }

    /// <summary>Containers from Get-Container.</summary>
    [Parameter(ParameterSetName = InputObjectSet, Mandatory = true, ValueFromPipeline = true)]
    [ValidateNotNull]
    public Container[]? InputObject { get; set; }

    /// <summary>Containers in every state, not only running ones (docker stats -a); the others show zeros.</summary>
    [Parameter]
    [Alias("a")]
    public SwitchParameter All { get; set; }

    /// <summary>Milliseconds between the two samples CPU % is computed from (default 150).</summary>
    [Parameter]
    [ValidateRange(10, 10000)]
    public int SampleInterval { get; set; } = (int)ContainerManager.DefaultStatsInterval.TotalMilliseconds;

    protected override void ProcessRecord()
    {
        ForgetListing();
        List<(Container, object)> found;
        switch (ParameterSetName)
        {
            case InputObjectSet:
                found = InputObject!.Select(c => (c, (object)c)).ToList();
                break;
            case IdSet:
                found = ResolveIds(Id!);
                break;
            default:
                if (Name is null) return; // no names: every container, at the end
                found = new List<(Container, object)>();
                foreach (var name in Name)
                {
                    // A wildcard lists (running ones unless -All); a plain name is taken in any state.
                    var matches = ResolveNames(new[] { name });
                    found.AddRange(WildcardPattern.ContainsWildcardCharacters(name) ? matches.Where(m => All || m.Container.Running) : matches);
                }
                break;
        }
        _listAll = false;
        foreach (var t in found)
            if (_seen.Add(t.Item1.Id)) _targets.Add(t);
    }

    protected override void EndProcessing()
    {
        // No names: every container, unless the input was an empty pipeline (which stands for no containers).
        if (_listAll && !MyInvocation.ExpectingInput)
        {
            foreach (var c in ListAll().Where(c => All || c.Running))
                if (_seen.Add(c.Id)) _targets.Add((c, c));
        }
        if (_targets.Count == 0) return;

        var interval = TimeSpan.FromMilliseconds(SampleInterval);
        IReadOnlyList<ContainerStats> stats;
        try
        {
            stats = RunEngine("Sampling container statistics", (_, token) => Containers.GetStatsAsync(_targets.Select(t => t.Container.Id).ToList(), interval, token));
        }
        catch (Exception e) when (ErrorMapping.IsReportable(e))
        {
            // One of them went away meanwhile: sample them one by one, with an error for each that is gone.
            foreach (var (container, target) in _targets)
                if (TryRun($"Sampling {container.Name}", token => Containers.GetStatsAsync(container.Id, token), target, out var one)) WriteObject(one);
            return;
        }
        foreach (var s in stats) WriteObject(s);
    }

    /// <summary>docker stats' CPU % and MEM % column: "12.34%".</summary>
    public static string Percent(double value) => value.ToString("0.00", CultureInfo.InvariantCulture) + "%";

    /// <summary>docker stats' MEM USAGE / LIMIT column: binary units, four significant digits ("1.441MiB / 7.667GiB").</summary>
    public static string MemoryUsage(long usage, long limit) => BinarySize(usage) + " / " + BinarySize(limit);

    /// <summary>docker stats' NET I/O and BLOCK I/O columns: decimal units ("1.2kB / 648B").</summary>
    public static string InOut(long first, long second) => DisplayFormat.Size(first) + " / " + DisplayFormat.Size(second);

    /// <summary>go-units BytesSize: binary units with "%.4g" ("1.441MiB", "512B", "7.667GiB").</summary>
    public static string BinarySize(long bytes)
    {
        string[] units = { "B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB" };
        var value = (double)Math.Max(0, bytes);
        var unit = 0;
        while (value >= 1024 && unit < units.Length - 1)
        {
            value /= 1024;
            unit++;
        }
        return value.ToString("G4", CultureInfo.InvariantCulture) + units[unit];
    }
}
