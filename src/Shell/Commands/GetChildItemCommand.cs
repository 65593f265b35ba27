// Stand-in for the PowerShell cmdlet of the same name. It exists only because the
// Microsoft.PowerShell.Utility / Microsoft.PowerShell.Management modules are not available as
// NuGet packages here; ShellSessionState registers it only when the session has no real
// command of that name, and under a real pwsh the real cmdlet is used.
using System.Management.Automation;

namespace ContainerPS.Shell.Commands;

/// <summary>Get-ChildItem through the session's providers (FileSystem items carry PSPath etc. and use the FileSystem views).</summary>
[Cmdlet(VerbsCommon.Get, "ChildItem", DefaultParameterSetName = "Items")]
public sealed class GetChildItemCommand : PSCmdlet
{
    [Parameter(Position = 0, ParameterSetName = "Items", ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    public string[]? Path { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = "LiteralItems", ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath", "LP")]
    public string[]? LiteralPath { get; set; }

    [Parameter(Position = 1)]
    public string? Filter { get; set; }

    [Parameter]
    [Alias("s", "r")]
    public SwitchParameter Recurse { get; set; }

    [Parameter]
    public uint Depth { get; set; } = uint.MaxValue;

    [Parameter]
    public SwitchParameter Force { get; set; }

    [Parameter]
    public SwitchParameter Name { get; set; }

    [Parameter]
    [Alias("ad", "d")]
    public SwitchParameter Directory { get; set; }

    [Parameter]
    [Alias("af")]
    public SwitchParameter File { get; set; }

    protected override void ProcessRecord()
    {
        bool literal = ParameterSetName == "LiteralItems";
        string[] paths = (literal ? LiteralPath : Path) ?? new[] { "." };
        bool recurse = Recurse || MyInvocation.BoundParameters.ContainsKey(nameof(Depth));
        WildcardPattern? filter = string.IsNullOrEmpty(Filter) ? null : new WildcardPattern(Filter, WildcardOptions.IgnoreCase);
        foreach (string path in paths)
        {
            try
            {
                if (Name && !Directory && !File)
                {
                    var returnContainers = filter is null ? ReturnContainers.ReturnAllContainers : ReturnContainers.ReturnMatchingContainers;
                    foreach (string name in SessionState.InvokeProvider.ChildItem.GetNames(new[] { path }, returnContainers, recurse, Depth, Force, literal))
                    {
                        if (filter is null || filter.IsMatch(System.IO.Path.GetFileName(name)))
                        {
                            WriteObject(name);
                        }
                    }

                    continue;
                }

                string? basePath = Name ? BaseProviderPath(path, literal) : null;
                foreach (PSObject item in SessionState.InvokeProvider.ChildItem.Get(new[] { path }, recurse, Depth, Force, literal))
                {
                    if (Keep(item, filter))
                    {
                        WriteObject(basePath is null ? item : RelativeName(item, basePath));
                    }
                }
            }
            catch (Exception e) when (ProviderErrors.IsPathError(e))
            {
                WriteError(ProviderErrors.ToRecord(e, "GetChildItemFailed", path));
            }
        }
    }

    private string BaseProviderPath(string path, bool literal) =>
        literal
            ? SessionState.Path.GetUnresolvedProviderPathFromPSPath(path)
            : SessionState.Path.GetResolvedProviderPathFromPSPath(path, out _)[0];

    /// <summary>The name -Name prints: the item's path relative to the listed directory.</summary>
    private string RelativeName(PSObject item, string basePath)
    {
        string? psPath = item.Properties["PSPath"]?.Value as string;
        if (psPath is null)
        {
            return item.Properties["PSChildName"]?.Value as string ?? item.ToString();
        }

        return System.IO.Path.GetRelativePath(basePath, SessionState.Path.GetUnresolvedProviderPathFromPSPath(psPath));
    }

    private bool Keep(PSObject item, WildcardPattern? filter)
    {
        bool isContainer = item.Properties["PSIsContainer"]?.Value is true;
        if ((Directory && !isContainer) || (File && isContainer))
        {
            return false;
        }

        if (filter is null)
        {
            return true;
        }

        string? name = item.Properties["PSChildName"]?.Value as string ?? item.Properties["Name"]?.Value as string;
        return name is not null && filter.IsMatch(name);
    }
}
