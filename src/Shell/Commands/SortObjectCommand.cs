// Stand-in for the PowerShell cmdlet of the same name. It exists only because the
// Microsoft.PowerShell.Utility / Microsoft.PowerShell.Management modules are not available as
// NuGet packages here; ShellSessionState registers it only when the session has no real
// command of that name, and under a real pwsh the real cmdlet is used.
using System.Collections;
using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Internal;

namespace ContainerPS.Shell.Commands;

[Cmdlet("Sort", "Object")]
[OutputType(typeof(PSObject))]
public sealed class SortObjectCommand : PSCmdlet
{
    private readonly List<PSObject> _items = new();

    [Parameter(ValueFromPipeline = true)]
    public PSObject InputObject { get; set; } = AutomationNull.Value;

    [Parameter(Position = 0)]
    public object[]? Property { get; set; }

    [Parameter]
    public SwitchParameter Descending { get; set; }

    [Parameter]
    public SwitchParameter Unique { get; set; }

    [Parameter]
    public SwitchParameter CaseSensitive { get; set; }

    protected override void ProcessRecord()
    {
        if (InputObject != AutomationNull.Value)
        {
            _items.Add(InputObject);
        }
    }

    protected override void EndProcessing()
    {
        List<(object Spec, bool Descending)> keys = Keys();
        var rows = new List<(PSObject Item, object?[] Values, int Index)>(_items.Count);
        for (int i = 0; i < _items.Count; i++)
        {
            PSObject item = _items[i];
            object?[] values = keys.Count == 0
                ? new[] { item.BaseObject }
                : keys.Select(k => PropertySelector.Resolve(item, k.Spec).Select(s => s.Value).FirstOrDefault()).ToArray();
            rows.Add((item, values, i));
        }

        int Compare((PSObject Item, object?[] Values, int Index) a, (PSObject Item, object?[] Values, int Index) b)
        {
            int result = CompareValues(a.Values, b.Values, keys);
            return result != 0 ? result : a.Index.CompareTo(b.Index);
        }

        rows.Sort(Compare);
        object?[]? previous = null;
        foreach (var row in rows)
        {
            if (Unique && previous is not null && CompareValues(previous, row.Values, keys) == 0)
            {
                continue;
            }

            previous = row.Values;
            WriteObject(row.Item);
        }
    }

    private List<(object Spec, bool Descending)> Keys()
    {
        var keys = new List<(object, bool)>();
        foreach (object raw in Property ?? Array.Empty<object>())
        {
            object spec = raw is PSObject pso ? pso.BaseObject : raw;
            bool descending = Descending;
            if (spec is IDictionary table)
            {
                foreach (DictionaryEntry entry in table)
                {
                    string key = entry.Key?.ToString() ?? string.Empty;
                    if (key.Length > 0 && "Descending".StartsWith(key, StringComparison.OrdinalIgnoreCase))
                    {
                        descending = LanguagePrimitives.IsTrue(entry.Value);
                    }
                    else if (key.Length > 1 && "Ascending".StartsWith(key, StringComparison.OrdinalIgnoreCase))
                    {
                        descending = !LanguagePrimitives.IsTrue(entry.Value);
                    }
                }
            }

            keys.Add((spec, descending));
        }

        return keys;
    }

    private int CompareValues(object?[] a, object?[] b, List<(object Spec, bool Descending)> keys)
    {
        for (int i = 0; i < a.Length; i++)
        {
            int result = CompareOne(a[i], b[i]);
            bool descending = keys.Count == 0 ? Descending : keys[i].Descending;
            if (result != 0)
            {
                return descending ? -result : result;
            }
        }

        return 0;
    }

    private int CompareOne(object? a, object? b)
    {
        a = a is PSObject pa ? pa.BaseObject : a;
        b = b is PSObject pb ? pb.BaseObject : b;
        if (a is null || b is null)
        {
            return a is null ? (b is null ? 0 : -1) : 1;
        }

        if (a is string sa && b is string sb)
        {
            return string.Compare(sa, sb, CultureInfo.CurrentCulture, CaseSensitive ? CompareOptions.None : CompareOptions.IgnoreCase);
        }

        try
        {
            return LanguagePrimitives.Compare(a, b, !CaseSensitive, CultureInfo.CurrentCulture);
        }
        catch (Exception e) when (e is ArgumentException or PSInvalidCastException or InvalidCastException)
        {
            return string.Compare(a.ToString(), b.ToString(), CaseSensitive ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase);
        }
    }
}
