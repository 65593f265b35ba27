// Stand-in for the PowerShell cmdlet of the same name. It exists only because the
// Microsoft.PowerShell.Utility / Microsoft.PowerShell.Management modules are not available as
// NuGet packages here; ShellSessionState registers it only when the session has no real
// command of that name, and under a real pwsh the real cmdlet is used.
using System.Management.Automation;

namespace ContainerPS.Shell.Commands;

[Cmdlet(VerbsCommunications.Write, "Error", DefaultParameterSetName = "NoException")]
public sealed class WriteErrorCommand : PSCmdlet
{
    [Parameter(ParameterSetName = "WithException", Mandatory = true)]
    public Exception? Exception { get; set; }

    [Parameter(Position = 0, ParameterSetName = "NoException", Mandatory = true, ValueFromPipeline = true)]
    [Parameter(ParameterSetName = "WithException")]
    [AllowNull]
    [AllowEmptyString]
    [Alias("Msg")]
    public string? Message { get; set; }

    [Parameter(ParameterSetName = "ErrorRecord", Mandatory = true)]
    public ErrorRecord? ErrorRecord { get; set; }

    [Parameter(ParameterSetName = "NoException")]
    [Parameter(ParameterSetName = "WithException")]
    public ErrorCategory Category { get; set; } = ErrorCategory.NotSpecified;

    [Parameter(ParameterSetName = "NoException")]
    [Parameter(ParameterSetName = "WithException")]
    public string? ErrorId { get; set; }

    [Parameter(ParameterSetName = "NoException")]
    [Parameter(ParameterSetName = "WithException")]
    public object? TargetObject { get; set; }

    [Parameter]
    public string? RecommendedAction { get; set; }

    [Parameter]
    [Alias("Activity")]
    public string? CategoryActivity { get; set; }

    [Parameter]
    [Alias("Reason")]
    public string? CategoryReason { get; set; }

    [Parameter]
    [Alias("TargetName")]
    public string? CategoryTargetName { get; set; }

    [Parameter]
    [Alias("TargetType")]
    public string? CategoryTargetType { get; set; }

    protected override void ProcessRecord()
    {
        ErrorRecord record;
        if (ErrorRecord is not null)
        {
            record = new ErrorRecord(ErrorRecord, ErrorRecord.Exception);
        }
        else
        {
            Exception exception = Exception ?? new WriteErrorException(Message ?? string.Empty);
            string errorId = string.IsNullOrEmpty(ErrorId)
                ? (Exception is null ? "Microsoft.PowerShell.Commands.WriteErrorException" : exception.GetType().FullName!)
                : ErrorId;
            record = new ErrorRecord(exception, errorId, Category, TargetObject);
            if (Exception is not null && !string.IsNullOrEmpty(Message))
            {
                record.ErrorDetails = new ErrorDetails(Message);
            }
        }

        if (!string.IsNullOrEmpty(RecommendedAction))
        {
            record.ErrorDetails ??= new ErrorDetails(record.Exception.Message);
            record.ErrorDetails.RecommendedAction = RecommendedAction;
        }

        record.CategoryInfo.Activity = string.IsNullOrEmpty(CategoryActivity) ? "Write-Error" : CategoryActivity;
        if (!string.IsNullOrEmpty(CategoryReason))
        {
            record.CategoryInfo.Reason = CategoryReason;
        }

        if (!string.IsNullOrEmpty(CategoryTargetName))
        {
            record.CategoryInfo.TargetName = CategoryTargetName;
        }

        if (!string.IsNullOrEmpty(CategoryTargetType))
        {
            record.CategoryInfo.TargetType = CategoryTargetType;
        }

        WriteError(record);
    }
}
