// Stand-in for the PowerShell cmdlet of the same name. It exists only because the
// Microsoft.PowerShell.Utility / Microsoft.PowerShell.Management modules are not available as
// NuGet packages here; ShellSessionState registers it only when the session has no real
// command of that name, and under a real pwsh the real cmdlet is used.
using System.Management.Automation;

namespace ContainerPS.Shell.Commands;

[Cmdlet(VerbsLifecycle.Start, "Sleep", DefaultParameterSetName = "Seconds")]
public sealed class StartSleepCommand : PSCmdlet, IDisposable
{
    private readonly ManualResetEventSlim _stopped = new();

    [Parameter(Position = 0, Mandatory = true, ParameterSetName = "Seconds", ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateRange(0.0, int.MaxValue / 1000.0)]
    public double Seconds { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = "Milliseconds", ValueFromPipelineByPropertyName = true)]
    [Alias("ms")]
    [ValidateRange(0, int.MaxValue)]
    public int Milliseconds { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = "FromTimeSpan", ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("ts")]
    public TimeSpan Duration { get; set; }

    protected override void ProcessRecord()
    {
        TimeSpan wait = ParameterSetName switch
        {
            "Milliseconds" => TimeSpan.FromMilliseconds(Milliseconds),
            "FromTimeSpan" => Duration,
            _ => TimeSpan.FromSeconds(Seconds),
        };
        _stopped.Wait(wait);
    }

    protected override void StopProcessing() => _stopped.Set();

    public void Dispose() => _stopped.Dispose();
}
