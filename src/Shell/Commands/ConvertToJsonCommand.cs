// Stand-in for the PowerShell cmdlet of the same name. It exists only because the
// Microsoft.PowerShell.Utility / Microsoft.PowerShell.Management modules are not available as
// NuGet packages here; ShellSessionState registers it only when the session has no real
// command of that name, and under a real pwsh the real cmdlet is used.
using System.Collections;
using System.Globalization;
using System.Management.Automation;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace ContainerPS.Shell.Commands;

/// <summary>
/// ConvertTo-Json on System.Text.Json, following pwsh's rules: objects become their
/// properties, dictionaries objects, enumerables arrays; beyond -Depth (default 2) a value
/// is written as its string form and a warning says the JSON was truncated.
/// </summary>
[Cmdlet(VerbsData.ConvertTo, "Json")]
[OutputType(typeof(string))]
public sealed class ConvertToJsonCommand : PSCmdlet
{
    private readonly List<object?> _inputs = new();
    private bool _truncated;

    [Parameter(Position = 0, Mandatory = true, ValueFromPipeline = true)]
    [AllowNull]
    public object? InputObject { get; set; }

    [Parameter]
    [ValidateRange(0, 100)]
    public int Depth { get; set; } = 2;

    [Parameter]
    public SwitchParameter Compress { get; set; }

    [Parameter]
    public SwitchParameter EnumsAsStrings { get; set; }

    [Parameter]
    public SwitchParameter AsArray { get; set; }

    protected override void ProcessRecord() => _inputs.Add(InputObject);

    protected override void EndProcessing()
    {
        if (_inputs.Count == 0)
        {
            return;
        }

        object? root = _inputs.Count == 1 && !AsArray ? _inputs[0] : _inputs;
        var options = new JsonWriterOptions
        {
            Indented = !Compress,
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            SkipValidation = false,
        };
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, options))
        {
            WriteValue(writer, root, 0);
        }

        if (_truncated)
        {
            WriteWarning(string.Create(CultureInfo.InvariantCulture, $"Resulting JSON is truncated as serialization has exceeded the set depth of {Depth}."));
        }

        WriteObject(Encoding.UTF8.GetString(stream.ToArray()));
    }

    private void WriteValue(Utf8JsonWriter writer, object? value, int depth)
    {
        PSObject? wrapper = value as PSObject;
        object? raw = wrapper is not null && wrapper.BaseObject is not PSCustomObject ? wrapper.BaseObject : value;
        switch (raw)
        {
            case null:
            case DBNull:
                writer.WriteNullValue();
                return;
            case string s:
                writer.WriteStringValue(s);
                return;
            case char c:
                writer.WriteStringValue(c.ToString());
                return;
            case bool b:
                writer.WriteBooleanValue(b);
                return;
            case Enum e:
                if (EnumsAsStrings)
                {
                    writer.WriteStringValue(e.ToString());
                }
                else
                {
                    writer.WriteRawValue(Convert.ToString(Convert.ChangeType(e, Enum.GetUnderlyingType(e.GetType()), CultureInfo.InvariantCulture), CultureInfo.InvariantCulture)!);
                }

                return;
            case int or long or short or sbyte or byte or ushort or uint:
                writer.WriteNumberValue(Convert.ToInt64(raw, CultureInfo.InvariantCulture));
                return;
            case ulong ul:
                writer.WriteNumberValue(ul);
                return;
            case decimal m:
                writer.WriteNumberValue(m);
                return;
            case double or float:
                double d = Convert.ToDouble(raw, CultureInfo.InvariantCulture);
                if (double.IsFinite(d))
                {
                    writer.WriteNumberValue(d);
                }
                else
                {
                    writer.WriteStringValue(d.ToString(CultureInfo.InvariantCulture));
                }

                return;
            case DateTime dt:
                writer.WriteStringValue(dt.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK", CultureInfo.InvariantCulture));
                return;
            case DateTimeOffset dto:
                writer.WriteStringValue(dto.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz", CultureInfo.InvariantCulture));
                return;
            case Guid or Uri or Version or Type or ScriptBlock or System.Numerics.BigInteger:
                writer.WriteStringValue(raw.ToString());
                return;
        }

        if (depth > Depth)
        {
            _truncated = true;
            writer.WriteStringValue(LanguagePrimitives.ConvertTo<string>(raw));
            return;
        }

        if (raw is IDictionary dictionary)
        {
            writer.WriteStartObject();
            foreach (DictionaryEntry entry in dictionary)
            {
                writer.WritePropertyName(entry.Key?.ToString() ?? string.Empty);
                WriteValue(writer, entry.Value, depth + 1);
            }

            writer.WriteEndObject();
            return;
        }

        if (raw is IEnumerable enumerable)
        {
            writer.WriteStartArray();
            foreach (object? item in enumerable)
            {
                WriteValue(writer, item, depth + 1);
            }

            writer.WriteEndArray();
            return;
        }

        writer.WriteStartObject();
        foreach (PSPropertyInfo property in PSObject.AsPSObject(value!).Properties)
        {
            if (!property.IsGettable)
            {
                continue;
            }

            object? propertyValue;
            try
            {
                propertyValue = property.Value;
            }
            catch (Exception e) when (e is GetValueException or ExtendedTypeSystemException or NotSupportedException or InvalidOperationException)
            {
                propertyValue = null;
            }

            writer.WritePropertyName(property.Name);
            WriteValue(writer, propertyValue, depth + 1);
        }

        writer.WriteEndObject();
    }
}
