// Stand-in for the PowerShell cmdlet of the same name. It exists only because the
// Microsoft.PowerShell.Utility / Microsoft.PowerShell.Management modules are not available as
// NuGet packages here; ShellSessionState registers it only when the session has no real
// command of that name, and under a real pwsh the real cmdlet is used.
using System.Management.Automation;

namespace ContainerPS.Shell.Commands;

[Cmdlet(VerbsCommunications.Write, "Progress")]
public sealed class WriteProgressCommand : PSCmdlet
{
    [Parameter(Position = 0)]
    public string? Activity { get; set; }

    [Parameter(Position = 1)]
    [ValidateNotNullOrEmpty]
    public string? Status { get; set; }

    [Parameter(Position = 2)]
    [ValidateRange(0, int.MaxValue)]
    public int Id { get; set; }

    [Parameter]
    [ValidateRange(-1, 100)]
    public int PercentComplete { get; set; } = -1;

    [Parameter]
    public int SecondsRemaining { get; set; } = -1;

    [Parameter]
    public string? CurrentOperation { get; set; }

    [Parameter]
    [ValidateRange(-1, int.MaxValue)]
    public int ParentId { get; set; } = -1;

    [Parameter]
    public SwitchParameter Completed { get; set; }

    [Parameter]
    public int SourceId { get; set; }

    protected override void ProcessRecord()
    {
        var record = new ProgressRecord(Id, string.IsNullOrEmpty(Activity) ? "Processing" : Activity, Status ?? "Processing")
        {
            PercentComplete = PercentComplete,
            SecondsRemaining = SecondsRemaining,
            CurrentOperation = CurrentOperation,
            ParentActivityId = ParentId,
            RecordType = Completed ? ProgressRecordType.Completed : ProgressRecordType.Processing,
        };
        WriteProgress(record);
    }
}
