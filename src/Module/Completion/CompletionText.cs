using System.Management.Automation;

namespace ContainerPS.Module.Completion;

/// <summary>Shared pieces of the argument completers: pattern from the typed word, quoting.</summary>
internal static class CompletionText
{
    private const string NeedsQuotes = " \t\r\n'\"`$;,(){}[]|&<>@#";

    /// <summary>
    /// The pattern the typed word asks for: its own wildcards if it has any ("busy*:1*"),
    /// else a prefix match. Surrounding quotes the user already typed are dropped.
    /// </summary>
    public static WildcardPattern PatternFor(string? wordToComplete, out char? quote)
    {
        var word = wordToComplete ?? "";
        quote = null;
        if (word.Length > 0 && (word[0] == '\'' || word[0] == '"'))
        {
            quote = word[0];
            word = word.Trim(word[0]);
        }

        if (!WildcardPattern.ContainsWildcardCharacters(word)) word += "*";
        return new WildcardPattern(word, WildcardOptions.IgnoreCase | WildcardOptions.CultureInvariant);
    }

    /// <summary>The text to insert: quoted when PowerShell would otherwise split or expand it.</summary>
    public static string Quote(string value, char? quote)
    {
        if (quote == '"') return "\"" + value.Replace("`", "``").Replace("\"", "`\"").Replace("$", "`$") + "\"";
        if (quote == '\'' || value.Length == 0 || value.IndexOfAny(NeedsQuotes.ToCharArray()) >= 0 || value[0] == '-')
            return "'" + value.Replace("'", "''") + "'";
        return value;
    }
}
