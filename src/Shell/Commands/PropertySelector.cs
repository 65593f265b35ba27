using System.Collections;
using System.Management.Automation;

namespace ContainerPS.Shell.Commands;

/// <summary>
/// Evaluates the property arguments shared by Select-Object, Sort-Object and
/// Measure-Object: names (with wildcards), script blocks, and calculated-property
/// hashtables <c>@{ Name/Label = ...; Expression = ... }</c>.
/// </summary>
internal static class PropertySelector
{
    /// <summary>A resolved property: its output name and value.</summary>
    public readonly record struct Selected(string Name, object? Value);

    /// <summary>Validates a calculated property and returns (name, expression); throws on bad keys.</summary>
    public static (string? Name, object Expression) ParseHashtable(IDictionary table, params string[] extraKeys)
    {
        string? name = null;
        object? expression = null;
        foreach (DictionaryEntry entry in table)
        {
            string key = entry.Key?.ToString() ?? string.Empty;
            if (Matches(key, "Name") || Matches(key, "Label"))
            {
                name = entry.Value?.ToString();
            }
            else if (Matches(key, "Expression"))
            {
                expression = entry.Value is PSObject pso ? pso.BaseObject : entry.Value;
            }
            else if (!extraKeys.Any(k => Matches(key, k)))
            {
                throw new ArgumentException($"The '{key}' key is not valid. Valid keys are: Name, Label, Expression{string.Concat(extraKeys.Select(k => ", " + k))}.");
            }
        }

        if (expression is null)
        {
            throw new ArgumentException("The Expression key is missing from the calculated property.");
        }

        if (expression is not (string or ScriptBlock))
        {
            throw new ArgumentException("The Expression key must be a string or a script block.");
        }

        return (name ?? (expression as ScriptBlock)?.ToString().Trim() ?? expression.ToString(), expression);
    }

    /// <summary>Resolves one -Property argument against <paramref name="input"/>.</summary>
    public static IEnumerable<Selected> Resolve(PSObject input, object spec)
    {
        spec = spec is PSObject pso && pso.BaseObject is not PSCustomObject ? pso.BaseObject : spec;
        switch (spec)
        {
            case ScriptBlock block:
                yield return new Selected(block.ToString().Trim(), Invoke(block, input));
                break;
            case IDictionary table:
                (string? name, object expression) = ParseHashtable(table, "FormatString", "Width", "Alignment", "Ascending", "Descending");
                object? value = expression is ScriptBlock sb ? Invoke(sb, input) : GetValue(input, expression.ToString()!);
                yield return new Selected(name ?? expression.ToString()!, value);
                break;
            default:
                string text = spec.ToString() ?? string.Empty;
                if (WildcardPattern.ContainsWildcardCharacters(text))
                {
                    var pattern = new WildcardPattern(text, WildcardOptions.IgnoreCase);
                    foreach (PSPropertyInfo property in Properties(input))
                    {
                        if (pattern.IsMatch(property.Name))
                        {
                            yield return new Selected(property.Name, SafeValue(property));
                        }
                    }
                }
                else
                {
                    yield return new Selected(CanonicalName(input, text), GetValue(input, text));
                }

                break;
        }
    }

    /// <summary>True when <paramref name="input"/> has a property (or dictionary key) named <paramref name="name"/>.</summary>
    public static bool HasProperty(PSObject input, string name) =>
        input.Properties[name] is not null || (input.BaseObject is IDictionary d && d.Contains(name));

    /// <summary>Gets a property value, or a dictionary entry for hashtables; null when absent.</summary>
    public static object? GetValue(PSObject input, string name)
    {
        PSPropertyInfo? property = input.Properties[name];
        if (property is not null)
        {
            return SafeValue(property);
        }

        return input.BaseObject is IDictionary dictionary && dictionary.Contains(name) ? dictionary[name] : null;
    }

    /// <summary>Runs a script block with $_ bound to <paramref name="input"/>; one result unwraps, several become an array.</summary>
    public static object? Invoke(ScriptBlock block, PSObject input)
    {
        var results = block.InvokeWithContext(null, new List<PSVariable> { new("_", input), new("PSItem", input) });
        return results.Count switch
        {
            0 => null,
            1 => Unwrap(results[0]),
            _ => results.Select(Unwrap).ToArray(),
        };
    }

    /// <summary>Drops the PSObject wrapper of plain .NET values (custom objects keep theirs).</summary>
    private static object? Unwrap(PSObject? value) =>
        value is null ? null : value.BaseObject is PSCustomObject ? value : value.BaseObject;

    public static IEnumerable<PSPropertyInfo> Properties(PSObject input)
    {
        if (input.BaseObject is IDictionary dictionary && input.BaseObject is not PSCustomObject)
        {
            foreach (DictionaryEntry entry in dictionary)
            {
                yield return new PSNoteProperty(entry.Key?.ToString() ?? string.Empty, entry.Value);
            }

            yield break;
        }

        foreach (PSPropertyInfo property in input.Properties)
        {
            yield return property;
        }
    }

    private static string CanonicalName(PSObject input, string name) => input.Properties[name]?.Name ?? name;

    private static object? SafeValue(PSPropertyInfo property)
    {
        try
        {
            return property.Value;
        }
        catch (Exception e) when (e is GetValueException or ExtendedTypeSystemException or NotSupportedException or InvalidOperationException)
        {
            return null;
        }
    }

    private static bool Matches(string key, string name) =>
        key.Length > 0 && name.StartsWith(key, StringComparison.OrdinalIgnoreCase);
}
