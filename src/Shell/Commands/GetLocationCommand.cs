// Stand-in for the PowerShell cmdlet of the same name. It exists only because the
// Microsoft.PowerShell.Utility / Microsoft.PowerShell.Management modules are not available as
// NuGet packages here; ShellSessionState registers it only when the session has no real
// command of that name, and under a real pwsh the real cmdlet is used.
using System.Management.Automation;

namespace ContainerPS.Shell.Commands;

[Cmdlet(VerbsCommon.Get, "Location")]
[OutputType(typeof(PathInfo))]
public sealed class GetLocationCommand : PSCmdlet
{
    protected override void ProcessRecord() => WriteObject(SessionState.Path.CurrentLocation);
}
