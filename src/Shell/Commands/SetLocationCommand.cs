// Stand-in for the PowerShell cmdlet of the same name. It exists only because the
// Microsoft.PowerShell.Utility / Microsoft.PowerShell.Management modules are not available as
// NuGet packages here; ShellSessionState registers it only when the session has no real
// command of that name, and under a real pwsh the real cmdlet is used.
using System.Management.Automation;

namespace ContainerPS.Shell.Commands;

[Cmdlet(VerbsCommon.Set, "Location", DefaultParameterSetName = "Path")]
[OutputType(typeof(PathInfo))]
public sealed class SetLocationCommand : PSCmdlet
{
    [Parameter(Position = 0, ParameterSetName = "Path", ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    public string? Path { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = "LiteralPath", ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath", "LP")]
    public string? LiteralPath { get; set; }

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        string target = (ParameterSetName == "LiteralPath" ? WildcardPattern.Escape(LiteralPath!) : Path) ?? "~";
        try
        {
            PathInfo location = SessionState.Path.SetLocation(target);
            if (PassThru)
            {
                WriteObject(location);
            }
        }
        catch (Exception e) when (ProviderErrors.IsPathError(e))
        {
            WriteError(ProviderErrors.ToRecord(e, "SetLocationFailed", target));
        }
    }
}
