// Stand-in for the PowerShell cmdlet of the same name. It exists only because the
// Microsoft.PowerShell.Utility / Microsoft.PowerShell.Management modules are not available as
// NuGet packages here; ShellSessionState registers it only when the session has no real
// command of that name, and under a real pwsh the real cmdlet is used.
using System.Globalization;
using System.Management.Automation;
using System.Text.Json;

namespace ContainerPS.Shell.Commands;

/// <summary>
/// ConvertFrom-Json on System.Text.Json: objects become PSCustomObjects (or ordered
/// hashtables with -AsHashtable), arrays are enumerated unless -NoEnumerate, ISO 8601
/// date strings become DateTime as in pwsh.
/// </summary>
[Cmdlet(VerbsData.ConvertFrom, "Json")]
[OutputType(typeof(PSObject))]
public sealed class ConvertFromJsonCommand : PSCmdlet
{
    private readonly List<string> _inputs = new();

    [Parameter(Position = 0, Mandatory = true, ValueFromPipeline = true)]
    [AllowEmptyString]
    public string InputObject { get; set; } = string.Empty;

    [Parameter]
    public SwitchParameter AsHashtable { get; set; }

    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    public int Depth { get; set; } = 1024;

    [Parameter]
    public SwitchParameter NoEnumerate { get; set; }

    protected override void ProcessRecord() => _inputs.Add(InputObject);

    protected override void EndProcessing()
    {
        if (_inputs.Count == 0)
        {
            return;
        }

        // As pwsh: several pipeline strings are either each a JSON document, or together one
        // document split in lines (Get-Content file | ConvertFrom-Json).
        if (_inputs.Count > 1 && TryParse(_inputs[0], out _))
        {
            foreach (string input in _inputs)
            {
                Convert(input);
            }
        }
        else
        {
            Convert(string.Join("\n", _inputs));
        }
    }

    private bool TryParse(string json, out JsonDocument? document)
    {
        try
        {
            document = JsonDocument.Parse(json, Options);
            return true;
        }
        catch (JsonException)
        {
            document = null;
            return false;
        }
    }

    private JsonDocumentOptions Options => new()
    {
        MaxDepth = Depth,
        CommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    private void Convert(string json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return;
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, Options);
        }
        catch (JsonException e)
        {
            ThrowTerminatingError(new ErrorRecord(
                new ArgumentException("Conversion from JSON failed with error: " + e.Message, e),
                "System.ArgumentException",
                ErrorCategory.ParserError,
                json));
            return;
        }

        using (document)
        {
            object? value = ToObject(document.RootElement);
            WriteObject(value, enumerateCollection: !NoEnumerate);
        }
    }

    private object? ToObject(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                if (AsHashtable)
                {
                    var table = new OrderedHashtable();
                    foreach (JsonProperty property in element.EnumerateObject())
                    {
                        table[property.Name] = ToObject(property.Value);
                    }

                    return table;
                }

                var result = new PSObject();
                foreach (JsonProperty property in element.EnumerateObject())
                {
                    result.Properties.Remove(property.Name);
                    result.Properties.Add(new PSNoteProperty(property.Name, ToObject(property.Value)));
                }

                return result;
            case JsonValueKind.Array:
                var items = new List<object?>();
                foreach (JsonElement item in element.EnumerateArray())
                {
                    items.Add(ToObject(item));
                }

                return items.ToArray();
            case JsonValueKind.String:
                string text = element.GetString()!;
                return LooksLikeDate(text)
                    && DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out DateTime date)
                    ? date
                    : text;
            case JsonValueKind.Number:
                if (element.TryGetInt32(out int i))
                {
                    return i;
                }

                if (element.TryGetInt64(out long l))
                {
                    return l;
                }

                string raw = element.GetRawText();
                if (!raw.Contains('.', StringComparison.Ordinal) && !raw.Contains('e', StringComparison.OrdinalIgnoreCase)
                    && System.Numerics.BigInteger.TryParse(raw, NumberStyles.Integer, CultureInfo.InvariantCulture, out var big))
                {
                    return big;
                }

                return element.GetDouble();
            case JsonValueKind.True:
                return true;
            case JsonValueKind.False:
                return false;
            default:
                return null;
        }
    }

    /// <summary>The shape Newtonsoft (used by pwsh) turns into a DateTime: yyyy-MM-ddTHH:mm:ss...</summary>
    private static bool LooksLikeDate(string text) =>
        text.Length >= 19 && text.Length <= 40 && char.IsAsciiDigit(text[0]) && text[4] == '-' && text[7] == '-'
        && text[10] == 'T' && text[13] == ':' && text[16] == ':';
}
