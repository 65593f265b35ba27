// Stand-in for the PowerShell cmdlet of the same name. It exists only because the
// Microsoft.PowerShell.Utility / Microsoft.PowerShell.Management modules are not available as
// NuGet packages here; ShellSessionState registers it only when the session has no real
// command of that name, and under a real pwsh the real cmdlet is used.
using System.Management.Automation;

namespace ContainerPS.Shell.Commands;

[Cmdlet(VerbsDiagnostic.Test, "Path", DefaultParameterSetName = "Path")]
[OutputType(typeof(bool))]
public sealed class TestPathCommand : PSCmdlet
{
    [Parameter(Position = 0, Mandatory = true, ParameterSetName = "Path", ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [AllowEmptyString]
    [AllowEmptyCollection]
    [AllowNull]
    public string[]? Path { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = "LiteralPath", ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath", "LP")]
    public string[]? LiteralPath { get; set; }

    [Parameter]
    [Alias("Type")]
    [ValidateSet("Any", "Container", "Leaf", IgnoreCase = true)]
    public string PathType { get; set; } = "Any";

    [Parameter]
    public SwitchParameter IsValid { get; set; }

    protected override void ProcessRecord()
    {
        bool literal = ParameterSetName == "LiteralPath";
        foreach (string? path in (literal ? LiteralPath : Path) ?? new string?[] { null })
        {
            WriteObject(Test(path, literal));
        }
    }

    private bool Test(string? path, bool literal)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            return false;
        }

        try
        {
            if (IsValid)
            {
                return SessionState.Path.IsValid(path);
            }

            if (!SessionState.InvokeProvider.Item.Exists(path, force: true, literalPath: literal))
            {
                return false;
            }

            if (string.Equals(PathType, "Any", StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }

            bool container = SessionState.InvokeProvider.Item.IsContainer(literal ? WildcardPattern.Escape(path) : path);
            return string.Equals(PathType, "Container", StringComparison.OrdinalIgnoreCase) ? container : !container;
        }
        catch (Exception e) when (ProviderErrors.IsPathError(e))
        {
            return false;
        }
    }
}
