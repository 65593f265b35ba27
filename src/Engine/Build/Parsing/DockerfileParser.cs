using System.Text.RegularExpressions;
using ContainerPS.Engine.Errors;

namespace ContainerPS.Engine.Build.Parsing;

/// <summary>
/// Turns Dockerfile text into a <see cref="DockerfileSyntax"/>: parser directives, comments,
/// line continuations (with the escape token; comment and empty lines inside a continuation
/// are skipped), heredocs for RUN/COPY/ADD (also behind ONBUILD), and per-instruction argument
/// splitting. It follows BuildKit's frontend/dockerfile/parser line for line in behaviour,
/// and knows nothing of what instructions do. Unknown keywords parse (with no arguments) and
/// are refused by <see cref="Instructions.InstructionParser"/>, as in BuildKit.
/// </summary>
public static class DockerfileParser
{
    private static readonly Regex DirectiveRegex = new(@"^#\s*([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.+?)\s*$", RegexOptions.CultureInvariant);
    private static readonly HashSet<string> ValidDirectives = new() { "escape", "syntax", "check" };
    private static readonly HashSet<string> HeredocKeywords = new() { "run", "copy", "add" };

    /// <summary>Parses a whole Dockerfile.</summary>
    /// <param name="text">The file's text (a leading BOM is ignored).</param>
    /// <param name="file">The name errors use: "Dockerfile" or the path given.</param>
    /// <exception cref="DockerfileParseException">malformed input, naming the file and line.</exception>
    public static DockerfileSyntax Parse(string text, string file = "Dockerfile")
    {
        var lines = SplitLines(text);
        var state = new Directives();
        var nodes = new List<SyntaxNode>();
        var warnings = new List<ParseWarning>();
        var comments = new List<string>();
        var i = 0;          // index of the next physical line
        var current = 0;    // 1-based number of the last line consumed

        while (i < lines.Count)
        {
            var raw = lines[i++];
            if (current == 0 && raw.Length > 0 && raw[0] == '\uFEFF') raw = raw[1..];
            var bare = TrimNewline(raw);
            if (IsComment(bare))
            {
                var comment = bare.TrimStart()[1..].Trim();
                if (comment.Length == 0) comments.Clear();
                else comments.Add(comment);
            }
            var processed = ProcessLine(state, bare, stripLeft: true, current + 1, file);
            current++;
            var startLine = current;
            var (line, endOfLine) = TrimContinuation(processed, state);
            if (endOfLine && line.Length == 0) continue;

            var hasEmptyContinuation = false;
            while (!endOfLine && i < lines.Count)
            {
                var next = TrimNewline(lines[i++]);
                var cont = ProcessLine(state, next, stripLeft: false, current + 1, file);
                current++;
                if (IsComment(next)) continue;
                if (cont.TrimStart().Length == 0)
                {
                    hasEmptyContinuation = true;
                    continue;
                }
                var (piece, eol) = TrimContinuation(cont, state);
                line += piece;
                endOfLine = eol;
            }
            if (hasEmptyContinuation)
                warnings.Add(new ParseWarning("Empty continuation line found in: " + line, current));

            SyntaxNode node;
            try
            {
                node = NodeFromLine(line, state.EscapeToken, comments.ToList());
            }
            catch (LineParseException e)
            {
                throw new DockerfileParseException(file, startLine, current, e.Message);
            }

            if (CanContainHeredoc(node) && line.Contains("<<"))
            {
                IReadOnlyList<Heredoc> announced;
                try
                {
                    announced = HeredocParser.FromLine(line);
                }
                catch (LineParseException e)
                {
                    throw new DockerfileParseException(file, startLine, current, e.Message);
                }
                var docs = new List<Heredoc>();
                foreach (var doc in announced)
                {
                    var content = new System.Text.StringBuilder();
                    var terminated = false;
                    while (i < lines.Count)
                    {
                        var body = lines[i++];
                        current++;
                        var candidate = TrimNewline(body);
                        if (doc.Chomp) candidate = candidate.TrimStart('\t');
                        if (candidate == doc.Name)
                        {
                            terminated = true;
                            break;
                        }
                        content.Append(body);
                    }
                    if (!terminated) throw new DockerfileParseException(file, startLine, current, "unterminated heredoc");
                    docs.Add(doc with { Content = content.ToString() });
                }
                node.Heredocs = docs;
            }

            node.StartLine = startLine;
            node.EndLine = current;
            if (node.Child is { } child)
            {
                child.StartLine = startLine;
                child.EndLine = current;
                child.Heredocs = node.Heredocs;
            }
            nodes.Add(node);
            comments.Clear();
        }

        if (nodes.Count == 0) throw new DockerfileParseException(file, current, current, "file with no instructions");
        return new DockerfileSyntax(file, state.EscapeToken, state.Seen, nodes, warnings);
    }

    /// <summary>
    /// Parses one instruction given outside a Dockerfile (`--change "CMD [\"sh\"]"`): the same
    /// syntax, line 1, no heredocs.
    /// </summary>
    /// <exception cref="DockerfileParseException">malformed input.</exception>
    public static SyntaxNode ParseLine(string line, string source = "--change")
    {
        var trimmed = line.Trim();
        if (trimmed.Length == 0) throw new DockerfileParseException(source, 1, 1, "file with no instructions");
        try
        {
            var node = NodeFromLine(trimmed, '\\', new List<string>());
            node.StartLine = node.EndLine = 1;
            if (node.Child is { } child) child.StartLine = child.EndLine = 1;
            return node;
        }
        catch (LineParseException e)
        {
            throw new DockerfileParseException(source, 1, 1, e.Message);
        }
    }

    private static SyntaxNode NodeFromLine(string line, char escape, List<string> comments)
    {
        var (keyword, flags, rest) = CommandSplitter.Split(line);
        var parsed = keyword.ToLowerInvariant() switch
        {
            "add" or "copy" or "volume" => LineParsers.MaybeJsonToList(rest),
            "arg" => LineParsers.NameOrNameValue(rest, escape),
            "cmd" or "entrypoint" or "run" or "shell" => LineParsers.MaybeJson(rest),
            "env" => LineParsers.NameValue(rest, "ENV", escape),
            "label" => LineParsers.NameValue(rest, "LABEL", escape),
            "expose" or "from" => LineParsers.WhitespaceDelimited(rest),
            "healthcheck" => LineParsers.HealthConfig(rest),
            "maintainer" or "stopsignal" or "user" or "workdir" => LineParsers.String(rest),
            "onbuild" => rest.Length == 0
                ? new LineParsers.Parsed(Array.Empty<string>(), false)
                : new LineParsers.Parsed(Array.Empty<string>(), false, NodeFromLine(rest, escape, new List<string>())),
            _ => new LineParsers.Parsed(Array.Empty<string>(), false),
        };
        return new SyntaxNode(keyword, line, flags, parsed.Arguments, parsed.IsJson, parsed.Child, comments);
    }

    private static bool CanContainHeredoc(SyntaxNode node)
    {
        if (node.Keyword.Equals("onbuild", StringComparison.OrdinalIgnoreCase) && node.Child is { } child) node = child;
        return HeredocKeywords.Contains(node.Keyword.ToLowerInvariant()) && !node.IsJson;
    }

    private sealed class Directives
    {
        public char EscapeToken = '\\';
        public Regex Continuation = ContinuationFor('\\');
        public bool Done;
        public readonly List<ParserDirective> Seen = new();

        public static Regex ContinuationFor(char escape) =>
            new(Regex.Escape(escape.ToString()) + "[ \t]*$", RegexOptions.CultureInvariant);
    }

    // Directives count only before the first instruction, comment or empty line.
    private static void PossibleDirective(Directives d, string line, int lineNumber, string file)
    {
        if (d.Done) return;
        var m = DirectiveRegex.Match(line);
        if (!m.Success)
        {
            d.Done = true;
            return;
        }
        var key = m.Groups[1].Value.ToLowerInvariant();
        if (!ValidDirectives.Contains(key))
        {
            d.Done = true;
            return;
        }
        if (d.Seen.Any(s => s.Name == key))
            throw new DockerfileParseException(file, lineNumber, lineNumber, $"only one {key} parser directive can be used");
        var value = m.Groups[2].Value;
        if (key == "escape")
        {
            if (value != "`" && value != "\\")
                throw new DockerfileParseException(file, lineNumber, lineNumber, $"invalid escape token '{value}' does not match ` or \\");
            d.EscapeToken = value[0];
            d.Continuation = Directives.ContinuationFor(value[0]);
        }
        d.Seen.Add(new ParserDirective(key, value, lineNumber));
    }

    private static string ProcessLine(Directives d, string line, bool stripLeft, int lineNumber, string file)
    {
        if (stripLeft) line = line.TrimStart();
        PossibleDirective(d, line, lineNumber, file);
        return IsComment(line) ? "" : line;
    }

    private static (string Line, bool EndOfLine) TrimContinuation(string line, Directives d)
    {
        var m = d.Continuation.Match(line);
        return m.Success ? (line[..m.Index], false) : (line, true);
    }

    private static bool IsComment(string line) => line.TrimStart().StartsWith('#');

    private static string TrimNewline(string line)
    {
        if (line.EndsWith("\r\n", StringComparison.Ordinal)) return line[..^2];
        if (line.EndsWith('\n')) return line[..^1];
        return line;
    }

    /// <summary>Physical lines with their terminators (heredoc content keeps them).</summary>
    private static List<string> SplitLines(string text)
    {
        var lines = new List<string>();
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] != '\n') continue;
            lines.Add(text[start..(i + 1)]);
            start = i + 1;
        }
        if (start < text.Length) lines.Add(text[start..]);
        return lines;
    }
}
