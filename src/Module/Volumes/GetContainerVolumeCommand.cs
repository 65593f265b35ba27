using System.Management.Automation;
using ContainerPS.Engine.Volumes;
using ContainerPS.Module.Completion;
using ContainerPS.Module.Containers;

namespace ContainerPS.Module.Volumes;

/// <summary>
/// Lists volumes (docker volume ls / inspect): name wildcards, -Dangling for volumes no
/// container mounts, -Label "key" or "key=value". Each Volume has its Mountpoint, Labels,
/// Options and UsedBy (container names); -Size also measures the content.
/// </summary>
[Cmdlet(VerbsCommon.Get, "ContainerVolume", DefaultParameterSetName = NameSet)]
[OutputType(typeof(Volume))]
public sealed class GetContainerVolumeCommand : ContainerCmdlet
{
    private const string NameSet = "Name";

    /// <summary>Volume names; wildcards allowed. A plain name that does not exist is an error.</summary>
    [Parameter(ParameterSetName = NameSet, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(VolumeNameCompleter))]
    public string[]? Name { get; set; }

    /// <summary>Only volumes that no container mounts (docker volume ls -f dangling=true).</summary>
    [Parameter]
    public SwitchParameter Dangling { get; set; }

    /// <summary>Only volumes with these labels: "key" or "key=value".</summary>
    [Parameter]
    public string[]? Label { get; set; }

    /// <summary>Also measures each volume's content (Size, docker system df -v).</summary>
    [Parameter]
    public SwitchParameter Size { get; set; }

    protected override void ProcessRecord()
    {
        if (!TryEngine(() => Containers.Volumes.List(), null, out var volumes)) return;
        IEnumerable<Volume> selected = volumes;
        if (Name is { Length: > 0 })
        {
            var list = new List<Volume>();
            foreach (var n in Name)
            {
                if (WildcardPattern.ContainsWildcardCharacters(n))
                {
                    var p = new WildcardPattern(n, WildcardOptions.IgnoreCase | WildcardOptions.CultureInvariant);
                    list.AddRange(volumes.Where(v => p.IsMatch(v.Name)));
                }
                else if (volumes.FirstOrDefault(v => v.Name == n) is { } v) list.Add(v);
                else TryEngine(() => Containers.Volumes.Get(n), n, out _); // writes VolumeNotFound
            }
            selected = list.DistinctBy(v => v.Name);
        }
        if (Dangling) selected = selected.Where(v => v.UsedBy.Count == 0);
        foreach (var l in Label ?? Array.Empty<string>())
        {
            var eq = l.IndexOf('=');
            selected = eq < 0
                ? selected.Where(v => v.Labels.ContainsKey(l))
                : selected.Where(v => v.Labels.TryGetValue(l[..eq], out var value) && value == l[(eq + 1)..]);
        }
        foreach (var v in selected)
        {
            if (Size) Containers.Volumes.Measure(v);
            WriteObject(v);
        }
    }
}
