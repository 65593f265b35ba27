// Stand-in for the PowerShell cmdlet of the same name. It exists only because the
// Microsoft.PowerShell.Utility / Microsoft.PowerShell.Management modules are not available as
// NuGet packages here; ShellSessionState registers it only when the session has no real
// command of that name, and under a real pwsh the real cmdlet is used.
using System.Management.Automation;

namespace ContainerPS.Shell.Commands;

/// <summary>Split-Path: the parent by default, or -Leaf, -LeafBase, -Extension, -Qualifier, -NoQualifier, -IsAbsolute.</summary>
[Cmdlet(VerbsCommon.Split, "Path")]
[OutputType(typeof(string), typeof(bool))]
public sealed class SplitPathCommand : PSCmdlet
{
    [Parameter(Position = 0, Mandatory = true, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath")]
    public string[] Path { get; set; } = Array.Empty<string>();

    [Parameter]
    public SwitchParameter Parent { get; set; }

    [Parameter]
    public SwitchParameter Leaf { get; set; }

    [Parameter]
    public SwitchParameter LeafBase { get; set; }

    [Parameter]
    public SwitchParameter Extension { get; set; }

    [Parameter]
    public SwitchParameter Qualifier { get; set; }

    [Parameter]
    public SwitchParameter NoQualifier { get; set; }

    [Parameter]
    public SwitchParameter IsAbsolute { get; set; }

    protected override void ProcessRecord()
    {
        foreach (string path in Path)
        {
            try
            {
                WriteObject(Split(path));
            }
            catch (Exception e) when (ProviderErrors.IsPathError(e))
            {
                WriteError(ProviderErrors.ToRecord(e, "SplitPathFailed", path));
            }
        }
    }

    private object Split(string path)
    {
        int colon = path.IndexOf(':', StringComparison.Ordinal);
        int slash = path.IndexOfAny(new[] { '/', '\\' });
        bool hasQualifier = colon > 0 && (slash < 0 || colon < slash);
        if (IsAbsolute)
        {
            return hasQualifier || path.StartsWith('/') || path.StartsWith('\\') || path.StartsWith('~');
        }

        if (Qualifier)
        {
            if (!hasQualifier)
            {
                throw new ArgumentException($"Cannot parse path because path '{path}' does not have a qualifier specified.");
            }

            return path[..(colon + 1)];
        }

        if (NoQualifier)
        {
            return hasQualifier ? path[(colon + 1)..] : path;
        }

        string leaf = SessionState.Path.ParseChildName(path);
        if (Leaf)
        {
            return leaf;
        }

        if (LeafBase)
        {
            return System.IO.Path.GetFileNameWithoutExtension(leaf);
        }

        if (Extension)
        {
            return System.IO.Path.GetExtension(leaf);
        }

        return SessionState.Path.ParseParent(path, string.Empty);
    }
}
