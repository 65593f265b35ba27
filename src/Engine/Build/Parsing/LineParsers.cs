using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace ContainerPS.Engine.Build.Parsing;

/// <summary>
/// How each instruction's arguments are split (BuildKit's line_parsers.go): JSON or shell
/// form, whitespace-separated words, name/value pairs, quoted words. Pure string functions.
/// </summary>
internal static class LineParsers
{
    /// <summary>Go's regexp `[\t\v\f\r ]+`: what Docker splits "words" on.</summary>
    internal static readonly Regex Whitespace = new("[\t\v\f\r ]+", RegexOptions.CultureInvariant);

    internal sealed record Parsed(IReadOnlyList<string> Arguments, bool IsJson, SyntaxNode? Child = null, IReadOnlyList<string>? Separators = null);

    private static readonly Parsed Empty = new(Array.Empty<string>(), false);

    internal const string NotStringArray = "when using JSON array syntax, arrays must be comprised of strings only";

    /// <summary>RUN, CMD, ENTRYPOINT, SHELL: a JSON string array, else the whole rest as one shell-form string.</summary>
    public static Parsed MaybeJson(string rest)
    {
        if (rest.Length == 0) return Empty;
        var json = TryJson(rest);
        if (json is not null) return new Parsed(json, true);
        return new Parsed(new[] { rest }, false);
    }

    /// <summary>ADD, COPY, VOLUME: a JSON string array, else whitespace-separated words.</summary>
    public static Parsed MaybeJsonToList(string rest)
    {
        var json = TryJson(rest);
        if (json is not null) return new Parsed(json, true);
        return WhitespaceDelimited(rest);
    }

    /// <summary>
    /// Docker's fallback: text that is not a JSON array (or not valid JSON) is shell form; a
    /// valid JSON array holding anything but strings is an error.
    /// </summary>
    private static List<string>? TryJson(string rest)
    {
        rest = rest.TrimStart();
        if (!rest.StartsWith('[')) return null;
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(rest, new JsonDocumentOptions { AllowTrailingCommas = false, CommentHandling = JsonCommentHandling.Disallow });
        }
        catch (JsonException)
        {
            return null;
        }
        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Array) return null;
            var list = new List<string>();
            foreach (var e in doc.RootElement.EnumerateArray())
            {
                if (e.ValueKind != JsonValueKind.String) throw new LineParseException(NotStringArray);
                list.Add(e.GetString()!);
            }
            return list;
        }
    }

    /// <summary>FROM, EXPOSE: split on blanks, nothing else.</summary>
    public static Parsed WhitespaceDelimited(string rest)
    {
        if (rest.Length == 0) return Empty;
        var parts = Whitespace.Split(rest).ToList();
        // Go's Split keeps a leading/trailing empty field; BuildKit drops only the last node.
        if (parts.Count > 1 && parts[^1].Length == 0) parts.RemoveAt(parts.Count - 1);
        return new Parsed(parts, false);
    }

    /// <summary>MAINTAINER, USER, WORKDIR, STOPSIGNAL: the rest of the line as one argument.</summary>
    public static Parsed String(string rest) => rest.Length == 0 ? Empty : new Parsed(new[] { rest }, false);

    /// <summary>ARG: quoted words (quotes kept; the expander removes them).</summary>
    public static Parsed NameOrNameValue(string rest, char escape) => new(Words(rest, escape), false);

    /// <summary>
    /// ENV and LABEL: `name=value ...` (values may be quoted) or the legacy `name value with
    /// spaces`. The first word decides: '=' in it means the new form.
    /// </summary>
    public static Parsed NameValue(string rest, string keyword, char escape)
    {
        var words = Words(rest, escape);
        if (words.Count == 0) return Empty;
        if (!words[0].Contains('='))
        {
            var parts = Whitespace.Split(rest, 2);
            if (parts.Length < 2) throw new LineParseException($"{keyword} must have two arguments");
            return new Parsed(new[] { parts[0], parts[1] }, false, Separators: new[] { " " });
        }
        var args = new List<string>();
        var seps = new List<string>();
        foreach (var word in words)
        {
            var eq = word.IndexOf('=');
            if (eq < 0) throw new LineParseException($"Syntax error - can't find = in \"{word}\". Must be of the form: name=value");
            args.Add(word[..eq]);
            args.Add(word[(eq + 1)..]);
            seps.Add("=");
        }
        return new Parsed(args, false, Separators: seps);
    }

    /// <summary>HEALTHCHECK: the type word (CMD/NONE) then the command, JSON or shell form.</summary>
    public static Parsed HealthConfig(string rest)
    {
        var sep = 0;
        while (sep < rest.Length && !char.IsWhiteSpace(rest[sep])) sep++;
        var next = sep;
        while (next < rest.Length && char.IsWhiteSpace(rest[next])) next++;
        if (sep == 0) return Empty;
        var cmd = MaybeJson(rest[next..]);
        var args = new List<string> { rest[..sep] };
        args.AddRange(cmd.Arguments);
        return new Parsed(args, cmd.IsJson);
    }

    /// <summary>
    /// Splits on unquoted whitespace but keeps quotes and escapes in the words (BuildKit's
    /// parseWords); the escape token protects the next character, except inside single quotes.
    /// </summary>
    public static List<string> Words(string rest, char escape)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        var inWord = false;
        var inQuote = false;
        var quote = '\0';
        var blankOk = false;
        for (var pos = 0; pos <= rest.Length; pos++)
        {
            var end = pos == rest.Length;
            var ch = end ? '\0' : rest[pos];
            if (!inWord && !inQuote)
            {
                if (end) break;
                if (char.IsWhiteSpace(ch)) continue;
                inWord = true;
            }
            if (end)
            {
                if (blankOk || word.Length > 0) words.Add(word.ToString());
                break;
            }
            if (inQuote)
            {
                if (ch == quote) inQuote = false;
                if (ch == escape && quote != '\'')
                {
                    if (pos + 1 == rest.Length)
                    {
                        inQuote = false;
                        continue;
                    }
                    word.Append(ch);
                    ch = rest[++pos];
                }
                word.Append(ch);
                continue;
            }
            if (char.IsWhiteSpace(ch))
            {
                inWord = false;
                if (blankOk || word.Length > 0) words.Add(word.ToString());
                word.Clear();
                blankOk = false;
                continue;
            }
            if (ch is '\'' or '"')
            {
                quote = ch;
                blankOk = true;
                inQuote = true;
            }
            if (ch == escape)
            {
                if (pos + 1 == rest.Length) continue;
                word.Append(ch);
                ch = rest[++pos];
            }
            word.Append(ch);
        }
        return words;
    }
}

/// <summary>An instruction line the parser rejects; the caller adds file and line.</summary>
internal sealed class LineParseException : Exception
{
    public LineParseException(string message) : base(message) { }
}
