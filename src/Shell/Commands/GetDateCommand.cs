// Stand-in for the PowerShell cmdlet of the same name. It exists only because the
// Microsoft.PowerShell.Utility / Microsoft.PowerShell.Management modules are not available as
// NuGet packages here; ShellSessionState registers it only when the session has no real
// command of that name, and under a real pwsh the real cmdlet is used.
using System.Globalization;
using System.Management.Automation;

namespace ContainerPS.Shell.Commands;

[Cmdlet(VerbsCommon.Get, "Date", DefaultParameterSetName = "Date")]
[OutputType(typeof(DateTime), typeof(string))]
public sealed class GetDateCommand : PSCmdlet
{
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = "Date")]
    [Alias("LastWriteTime")]
    public DateTime Date { get; set; }

    [Parameter(ParameterSetName = "UnixTimeSeconds", Mandatory = true)]
    [Alias("UnixTime")]
    public long UnixTimeSeconds { get; set; }

    [Parameter]
    public string? Format { get; set; }

    [Parameter]
    public SwitchParameter AsUTC { get; set; }

    protected override void ProcessRecord()
    {
        DateTime value = ParameterSetName == "UnixTimeSeconds"
            ? DateTimeOffset.FromUnixTimeSeconds(UnixTimeSeconds).LocalDateTime
            : MyInvocation.BoundParameters.ContainsKey(nameof(Date)) ? Date : DateTime.Now;
        if (AsUTC)
        {
            value = value.ToUniversalTime();
        }

        if (Format is null)
        {
            WriteObject(value);
        }
        else
        {
            WriteObject(value.ToString(Format, CultureInfo.CurrentCulture));
        }
    }
}
