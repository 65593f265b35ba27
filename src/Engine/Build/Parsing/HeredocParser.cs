using System.Text.RegularExpressions;
using ContainerPS.Engine.Build.Expansion;

namespace ContainerPS.Engine.Build.Parsing;

/// <summary>
/// Finds heredoc markers in a RUN/COPY/ADD line (BuildKit's parser_heredoc.go): every word of
/// the form `[fd]<<[-]NAME`. A delimiter with any quoting (`<<"EOF"`, `<<'EOF'`, `<<E"O"F`)
/// disables expansion of the content.
/// </summary>
public static class HeredocParser
{
    private static readonly Regex Marker = new(@"^(\d*)<<(-?)([^<]*)$", RegexOptions.CultureInvariant);
    private static readonly ShellLexer RawLexer = new('\\') { RawQuotes = true, RawEscapes = true };
    private static readonly ShellLexer NameLexer = new('\\') { SkipUnsetEnv = true };
    private static readonly ShellLexer NameRawLexer = new('\\') { SkipUnsetEnv = true, RawQuotes = true };

    /// <summary>The heredocs a line announces, in order, without content.</summary>
    public static IReadOnlyList<Heredoc> FromLine(string line)
    {
        IReadOnlyList<string> words;
        try
        {
            words = RawLexer.ProcessWords(line, _ => null);
        }
        catch (ShellSyntaxException)
        {
            return Array.Empty<Heredoc>();   // BuildKit ignores lexing errors here: no heredocs
        }
        var docs = new List<Heredoc>();
        foreach (var word in words)
            if (Parse(word) is { } doc) docs.Add(doc);
        return docs;
    }

    /// <summary>The heredoc a single word announces, or null when it is not a heredoc marker.</summary>
    public static Heredoc? Parse(string word)
    {
        var m = Marker.Match(word);
        if (!m.Success) return null;
        var rest = m.Groups[3].Value;
        if (rest.Length == 0) return null;
        _ = int.TryParse(m.Groups[1].Value, out var fd);
        IReadOnlyList<string> plain, raw;
        try
        {
            plain = NameLexer.ProcessWords(rest, _ => null);
            if (plain.Count != 1) return null;
            raw = NameRawLexer.ProcessWords(rest, _ => null);
        }
        catch (ShellSyntaxException e)
        {
            throw new LineParseException(e.Message);
        }
        if (raw.Count != plain.Count) throw new LineParseException($"internal lexing of heredoc produced inconsistent results: {rest}");
        static int Quotes(string s) => s.Count(c => c is '\'' or '"');
        var expand = Quotes(plain[0]) == Quotes(raw[0]);
        return new Heredoc(plain[0], "", expand, m.Groups[2].Value == "-", fd);
    }
}
