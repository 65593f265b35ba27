// Stand-in for the PowerShell cmdlet of the same name. It exists only because the
// Microsoft.PowerShell.Utility / Microsoft.PowerShell.Management modules are not available as
// NuGet packages here; ShellSessionState registers it only when the session has no real
// command of that name, and under a real pwsh the real cmdlet is used.
using System.Management.Automation;

namespace ContainerPS.Shell.Commands;

[Cmdlet(VerbsCommon.Remove, "Item", DefaultParameterSetName = "Path", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
public sealed class RemoveItemCommand : PSCmdlet
{
    [Parameter(Position = 0, Mandatory = true, ParameterSetName = "Path", ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    public string[] Path { get; set; } = Array.Empty<string>();

    [Parameter(Mandatory = true, ParameterSetName = "LiteralPath", ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath", "LP")]
    public string[] LiteralPath { get; set; } = Array.Empty<string>();

    [Parameter]
    public SwitchParameter Recurse { get; set; }

    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override void ProcessRecord()
    {
        bool literal = ParameterSetName == "LiteralPath";
        foreach (string path in literal ? LiteralPath : Path)
        {
            IEnumerable<string> targets;
            try
            {
                targets = literal
                    ? new[] { path }
                    : SessionState.Path.GetResolvedPSPathFromPSPath(path).Select(p => p.Path).ToList();
            }
            catch (Exception e) when (ProviderErrors.IsPathError(e))
            {
                WriteError(ProviderErrors.ToRecord(e, "PathNotFound", path));
                continue;
            }

            foreach (string target in targets)
            {
                Remove(target);
            }
        }
    }

    private void Remove(string target)
    {
        try
        {
            if (!SessionState.InvokeProvider.Item.Exists(target, Force, literalPath: true))
            {
                throw new ItemNotFoundException($"Cannot find path '{target}' because it does not exist.");
            }

            // pwsh asks before removing a non-empty directory without -Recurse; a non-interactive
            // stand-in refuses instead (the provider itself would silently recurse here).
            if (!Recurse && SessionState.InvokeProvider.ChildItem.HasChild(target, Force, literalPath: true))
            {
                WriteError(new ErrorRecord(
                    new IOException($"The item at '{target}' has children and the Recurse parameter was not specified."),
                    "DirectoryNotEmpty",
                    ErrorCategory.InvalidOperation,
                    target));
                return;
            }

            if (ShouldProcess(target, "Remove Item"))
            {
                SessionState.InvokeProvider.Item.Remove(new[] { target }, Recurse, Force, literalPath: true);
            }
        }
        catch (Exception e) when (ProviderErrors.IsPathError(e))
        {
            WriteError(ProviderErrors.ToRecord(e, "RemoveItemFailed", target));
        }
    }
}
