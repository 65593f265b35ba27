using System.Collections;
using System.Management.Automation;

namespace ContainerPS.Module.Containers;

/// <summary>
/// Lets a hashtable parameter (-Environment, -Label) also take docker's "KEY=VALUE" strings:
/// <c>-Environment @{ A = 1 }</c>, <c>-Environment A=1, B=2</c> and <c>-e 'A=1'</c> all give a
/// hashtable. A bare "KEY" has a null value (environment: take the caller's variable, as
/// <c>docker run -e KEY</c> does) or an empty one (labels).
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class KeyValueTransformationAttribute : ArgumentTransformationAttribute
{
    /// <summary>A bare "KEY" maps to null (true) or to "" (false).</summary>
    public bool NullForMissingValue { get; set; }

    public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
    {
        var input = Unwrap(inputData);
        switch (input)
        {
            case null:
                return new Hashtable(StringComparer.Ordinal);
            case IDictionary dictionary:
                return dictionary;
            case string text:
                return Add(new Hashtable(StringComparer.Ordinal), text);
            case IEnumerable items:
                var table = new Hashtable(StringComparer.Ordinal);
                foreach (var item in items)
                {
                    switch (Unwrap(item))
                    {
                        case null:
                            continue;
                        case IDictionary d:
                            foreach (DictionaryEntry entry in d) table[entry.Key] = entry.Value;
                            break;
                        case var other:
                            Add(table, LanguagePrimitives.ConvertTo<string>(other));
                            break;
                    }
                }
                return table;
            default:
                throw new ArgumentTransformationMetadataException(
                    $"Cannot convert '{input}' to key/value pairs: give a hashtable (@{{ KEY = 'value' }}) or strings such as 'KEY=value'.");
        }
    }

    private Hashtable Add(Hashtable table, string text)
    {
        if (string.IsNullOrWhiteSpace(text))
            throw new ArgumentTransformationMetadataException("An empty string is not a KEY=value pair.");
        var equals = text.IndexOf('=');
        if (equals == 0)
            throw new ArgumentTransformationMetadataException($"'{text}' has no key: use 'KEY=value'.");
        if (equals < 0) table[text] = NullForMissingValue ? null : "";
        else table[text[..equals]] = text[(equals + 1)..];
        return table;
    }

    private static object? Unwrap(object? value) => value is PSObject pso ? pso.BaseObject : value;
}
