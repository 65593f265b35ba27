// Stand-in for the PowerShell cmdlet of the same name. It exists only because the
// Microsoft.PowerShell.Utility / Microsoft.PowerShell.Management modules are not available as
// NuGet packages here; ShellSessionState registers it only when the session has no real
// command of that name, and under a real pwsh the real cmdlet is used.
namespace ContainerPS.Shell.Commands;

/// <summary>Result of Measure-Object; same shape as pwsh's Microsoft.PowerShell.Commands.GenericMeasureInfo.</summary>
public sealed class GenericMeasureInfo
{
    public int Count { get; set; }

    public double? Average { get; set; }

    public double? Sum { get; set; }

    public double? Maximum { get; set; }

    public double? Minimum { get; set; }

    public double? StandardDeviation { get; set; }

    public string? Property { get; set; }
}
