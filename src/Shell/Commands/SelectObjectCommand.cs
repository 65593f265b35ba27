// Stand-in for the PowerShell cmdlet of the same name. It exists only because the
// Microsoft.PowerShell.Utility / Microsoft.PowerShell.Management modules are not available as
// NuGet packages here; ShellSessionState registers it only when the session has no real
// command of that name, and under a real pwsh the real cmdlet is used.
using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Internal;
using System.Text;

namespace ContainerPS.Shell.Commands;

[Cmdlet(VerbsCommon.Select, "Object")]
[OutputType(typeof(PSObject))]
public sealed class SelectObjectCommand : PSCmdlet
{
    private readonly Queue<PSObject> _last = new();
    private readonly HashSet<string> _unique = new(StringComparer.Ordinal);
    private int _seen;
    private int _written;

    [Parameter(ValueFromPipeline = true)]
    public PSObject InputObject { get; set; } = AutomationNull.Value;

    [Parameter(Position = 0)]
    public object[]? Property { get; set; }

    [Parameter]
    public string[]? ExcludeProperty { get; set; }

    [Parameter]
    public string? ExpandProperty { get; set; }

    [Parameter]
    public SwitchParameter Unique { get; set; }

    [Parameter]
    [ValidateRange(0, int.MaxValue)]
    public int First { get; set; }

    [Parameter]
    [ValidateRange(0, int.MaxValue)]
    public int Last { get; set; }

    [Parameter]
    [ValidateRange(0, int.MaxValue)]
    public int Skip { get; set; }

    private bool HasFirst => MyInvocation.BoundParameters.ContainsKey(nameof(First));

    private bool HasLast => MyInvocation.BoundParameters.ContainsKey(nameof(Last));

    protected override void ProcessRecord()
    {
        if (InputObject == AutomationNull.Value)
        {
            return;
        }

        if (_seen++ < Skip)
        {
            return;
        }

        if (HasLast)
        {
            if (HasFirst && _written < First)
            {
                Emit(InputObject);
                return;
            }

            _last.Enqueue(InputObject);
            if (_last.Count > Last)
            {
                _last.Dequeue();
            }

            return;
        }

        if (HasFirst && _written >= First)
        {
            // pwsh stops the upstream commands here; a stand-in cannot, so it just drops the rest.
            return;
        }

        Emit(InputObject);
    }

    protected override void EndProcessing()
    {
        while (_last.Count > 0)
        {
            Emit(_last.Dequeue());
        }
    }

    private void Emit(PSObject input)
    {
        _written++;
        if (!string.IsNullOrEmpty(ExpandProperty))
        {
            EmitExpanded(input);
            return;
        }

        PSObject output = Property is { Length: > 0 } ? Project(input) : input;
        if (!Unique || _unique.Add(Key(output)))
        {
            WriteObject(output);
        }
    }

    private PSObject Project(PSObject input)
    {
        var result = new PSObject();
        foreach (PropertySelector.Selected selected in Select(input))
        {
            result.Properties.Remove(selected.Name);
            result.Properties.Add(new PSNoteProperty(selected.Name, selected.Value));
        }

        string? typeName = input.TypeNames.Count > 0 ? input.TypeNames[0] : null;
        if (typeName is not null)
        {
            result.TypeNames.Insert(0, typeName.StartsWith("Selected.", StringComparison.Ordinal) ? typeName : "Selected." + typeName);
        }

        return result;
    }

    private IEnumerable<PropertySelector.Selected> Select(PSObject input)
    {
        WildcardPattern[] excluded = (ExcludeProperty ?? Array.Empty<string>())
            .Select(p => new WildcardPattern(p, WildcardOptions.IgnoreCase))
            .ToArray();
        foreach (object spec in Property ?? Array.Empty<object>())
        {
            IEnumerable<PropertySelector.Selected> resolved;
            try
            {
                resolved = PropertySelector.Resolve(input, spec).ToList();
            }
            catch (ArgumentException e)
            {
                ThrowTerminatingError(new ErrorRecord(e, "DictionaryKeyIllegal", ErrorCategory.InvalidArgument, spec));
                yield break;
            }

            foreach (PropertySelector.Selected selected in resolved)
            {
                if (!excluded.Any(p => p.IsMatch(selected.Name)))
                {
                    yield return selected;
                }
            }
        }
    }

    private void EmitExpanded(PSObject input)
    {
        string name = ExpandProperty!;
        if (!PropertySelector.HasProperty(input, name))
        {
            WriteError(new ErrorRecord(
                new PSArgumentException($"Property \"{name}\" cannot be found."),
                "ExpandPropertyNotFound",
                ErrorCategory.InvalidArgument,
                input));
            return;
        }

        object? value = PropertySelector.GetValue(input, name);
        IEnumerable? items = LanguagePrimitives.GetEnumerable(value);
        IEnumerable<object?> values = items is null ? new[] { value } : items.Cast<object?>();
        List<PropertySelector.Selected> extra = Property is { Length: > 0 } ? Select(input).ToList() : new();
        foreach (object? item in values)
        {
            if (extra.Count == 0)
            {
                if (!Unique || _unique.Add(Key(PSObject.AsPSObject(item ?? string.Empty))))
                {
                    WriteObject(item);
                }

                continue;
            }

            PSObject wrapped = PSObject.AsPSObject(item ?? string.Empty);
            foreach (PropertySelector.Selected selected in extra)
            {
                if (wrapped.Properties[selected.Name] is null)
                {
                    wrapped.Properties.Add(new PSNoteProperty(selected.Name, selected.Value));
                }
            }

            if (!Unique || _unique.Add(Key(wrapped)))
            {
                WriteObject(wrapped);
            }
        }
    }

    /// <summary>Identity for -Unique: the property values of custom objects, else the object's text (case-sensitive, as in pwsh).</summary>
    private static string Key(PSObject value)
    {
        if (value.BaseObject is not PSCustomObject)
        {
            return value.BaseObject.GetType().FullName + "\u0001" + value.BaseObject;
        }

        var key = new StringBuilder();
        foreach (PSPropertyInfo property in value.Properties)
        {
            key.Append(property.Name).Append('\u0001').Append(PropertySelector.GetValue(value, property.Name)).Append('\u0002');
        }

        return key.ToString();
    }
}
