// Stand-in for the PowerShell cmdlet of the same name. It exists only because the
// Microsoft.PowerShell.Utility / Microsoft.PowerShell.Management modules are not available as
// NuGet packages here; ShellSessionState registers it only when the session has no real
// command of that name, and under a real pwsh the real cmdlet is used.
using System.Management.Automation;
using System.Management.Automation.Internal;

namespace ContainerPS.Shell.Commands;

[Cmdlet(VerbsDiagnostic.Measure, "Object")]
[OutputType(typeof(GenericMeasureInfo))]
public sealed class MeasureObjectCommand : PSCmdlet
{
    private readonly Dictionary<string, Stats> _stats = new(StringComparer.OrdinalIgnoreCase);
    private readonly Stats _whole = new();
    private int _inputs;

    [Parameter(ValueFromPipeline = true)]
    public PSObject InputObject { get; set; } = AutomationNull.Value;

    [Parameter(Position = 0)]
    [ValidateNotNullOrEmpty]
    public string[]? Property { get; set; }

    [Parameter]
    public SwitchParameter Sum { get; set; }

    [Parameter]
    public SwitchParameter Average { get; set; }

    [Parameter]
    public SwitchParameter Maximum { get; set; }

    [Parameter]
    public SwitchParameter Minimum { get; set; }

    [Parameter]
    public SwitchParameter StandardDeviation { get; set; }

    [Parameter]
    public SwitchParameter AllStats { get; set; }

    private bool NeedsNumbers => Sum || Average || Maximum || Minimum || StandardDeviation || AllStats;

    protected override void ProcessRecord()
    {
        if (InputObject == AutomationNull.Value)
        {
            return;
        }

        _inputs++;
        if (Property is null)
        {
            Add(_whole, InputObject.BaseObject, InputObject);
            return;
        }

        foreach (string name in Property)
        {
            if (!_stats.TryGetValue(name, out Stats? stats))
            {
                _stats[name] = stats = new Stats();
            }

            if (PropertySelector.HasProperty(InputObject, name))
            {
                stats.Found = true;
                Add(stats, PropertySelector.GetValue(InputObject, name), InputObject);
            }
        }
    }

    protected override void EndProcessing()
    {
        if (Property is null)
        {
            WriteObject(Result(_whole, null));
            return;
        }

        foreach (string name in Property)
        {
            Stats stats = _stats.GetValueOrDefault(name) ?? new Stats();
            if (!stats.Found && _inputs > 0)
            {
                WriteError(new ErrorRecord(
                    new PSArgumentException($"The property \"{name}\" cannot be found in the input for any objects."),
                    "GenericMeasurePropertyNotFound",
                    ErrorCategory.InvalidArgument,
                    name));
                continue;
            }

            WriteObject(Result(stats, name));
        }
    }

    private void Add(Stats stats, object? value, PSObject input)
    {
        value = value is PSObject pso ? pso.BaseObject : value;
        if (value is null && Property is not null)
        {
            return;
        }

        stats.Count++;
        if (!NeedsNumbers)
        {
            return;
        }

        double number;
        try
        {
            number = LanguagePrimitives.ConvertTo<double>(value);
        }
        catch (PSInvalidCastException e)
        {
            stats.Count--;
            WriteError(new ErrorRecord(
                new PSInvalidOperationException($"Input object \"{value}\" is not numeric.", e),
                "NonNumericInputObject",
                ErrorCategory.InvalidType,
                input));
            return;
        }

        stats.Sum += number;
        stats.SumOfSquares += number * number;
        stats.Max = stats.Max is { } max ? Math.Max(max, number) : number;
        stats.Min = stats.Min is { } min ? Math.Min(min, number) : number;
    }

    private GenericMeasureInfo Result(Stats stats, string? property)
    {
        bool all = AllStats;
        var result = new GenericMeasureInfo { Count = stats.Count, Property = property };
        if (Sum || all)
        {
            result.Sum = stats.Sum;
        }

        if (Average || all)
        {
            result.Average = stats.Count > 0 ? stats.Sum / stats.Count : null;
        }

        if (Maximum || all)
        {
            result.Maximum = stats.Max;
        }

        if (Minimum || all)
        {
            result.Minimum = stats.Min;
        }

        if ((StandardDeviation || all) && stats.Count > 1)
        {
            double mean = stats.Sum / stats.Count;
            double variance = (stats.SumOfSquares - (stats.Count * mean * mean)) / (stats.Count - 1);
            result.StandardDeviation = Math.Sqrt(Math.Max(0, variance));
        }

        return result;
    }

    private sealed class Stats
    {
        public bool Found { get; set; }

        public int Count { get; set; }

        public double Sum { get; set; }

        public double SumOfSquares { get; set; }

        public double? Max { get; set; }

        public double? Min { get; set; }
    }
}
