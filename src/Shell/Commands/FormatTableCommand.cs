// Stand-in for the PowerShell cmdlet of the same name. It exists only because the
// Microsoft.PowerShell.Utility / Microsoft.PowerShell.Management modules are not available as
// NuGet packages here; ShellSessionState registers it only when the session has no real
// command of that name, and under a real pwsh the real cmdlet is used.
using Microsoft.PowerShell.Commands.Internal.Format;
using System.Management.Automation;

namespace ContainerPS.Shell.Commands;

/// <summary>Format-Table on PowerShell's own formatting engine (see <see cref="FormattingEngine"/>).</summary>
[Cmdlet(VerbsCommon.Format, "Table")]
public sealed class FormatTableCommand : OuterFormatTableBase
{
    public FormatTableCommand() => FormattingEngine.UseShape(this, "Table");
}
