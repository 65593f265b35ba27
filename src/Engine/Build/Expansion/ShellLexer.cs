using System.Text;

namespace ContainerPS.Engine.Build.Expansion;

/// <summary>
/// Docker's shell-word lexer (BuildKit frontend/dockerfile/shell): removes quotes, handles the
/// escape token, and substitutes `$V`, `${V}`, `${V:-w}`, `${V-w}`, `${V:+w}`, `${V+w}`,
/// `${V:?w}`, `${V?w}`, `${V#p}`, `${V##p}`, `${V%p}`, `${V%%p}`. Nothing else of a shell: no
/// command substitution, no arithmetic. The builder applies it to the instructions Docker
/// expands; RUN/CMD/ENTRYPOINT are left to the container's shell.
/// </summary>
public sealed class ShellLexer
{
    public ShellLexer(char escapeToken = '\\') => EscapeToken = escapeToken;

    public char EscapeToken { get; }

    /// <summary>Keep quote characters in the result (used to find heredoc delimiters).</summary>
    public bool RawQuotes { get; init; }

    /// <summary>Keep escape characters in the result.</summary>
    public bool RawEscapes { get; init; }

    /// <summary>Leave `$V` of unset variables as written instead of substituting "".</summary>
    public bool SkipUnsetEnv { get; init; }

    /// <summary>Processes one word: quotes removed, variables substituted, no splitting.</summary>
    /// <exception cref="ShellSyntaxException">bad substitution, unmatched quote, `?` on an unset variable.</exception>
    public string ProcessWord(string word, Func<string, string?> lookup) => Run(word, lookup).Word;

    /// <summary>Processes a string and splits it into words on unquoted whitespace (also inside substituted values).</summary>
    public IReadOnlyList<string> ProcessWords(string word, Func<string, string?> lookup) => Run(word, lookup).Words;

    public string ProcessWord(string word, IReadOnlyDictionary<string, string> env) =>
        ProcessWord(word, k => env.TryGetValue(k, out var v) ? v : null);

    public IReadOnlyList<string> ProcessWords(string word, IReadOnlyDictionary<string, string> env) =>
        ProcessWords(word, k => env.TryGetValue(k, out var v) ? v : null);

    private (string Word, List<string> Words) Run(string source, Func<string, string?> lookup)
    {
        var state = new State(this, source, lookup);
        try
        {
            return state.ProcessStopOn(null);
        }
        catch (ShellSyntaxException)
        {
            throw;
        }
        catch (LexError e)
        {
            throw new ShellSyntaxException(source, e.Message);
        }
    }

    private sealed class LexError : Exception
    {
        public LexError(string message) : base(message) { }
    }

    /// <summary>Word splitting as BuildKit's wordsStruct does it: quoted text never splits.</summary>
    private sealed class WordCollector
    {
        private readonly StringBuilder _word = new();
        private bool _inWord;
        public List<string> Words { get; } = new();

        public void AddChar(char c)
        {
            if (char.IsWhiteSpace(c))
            {
                if (_inWord && _word.Length > 0)
                {
                    Words.Add(_word.ToString());
                    _word.Clear();
                    _inWord = false;
                }
            }
            else AddRawChar(c);
        }

        public void AddRawChar(char c)
        {
            _word.Append(c);
            _inWord = true;
        }

        public void AddString(string s)
        {
            foreach (var c in s) AddChar(c);
        }

        public void AddRawString(string s)
        {
            _word.Append(s);
            _inWord = true;
        }

        public List<string> Finish()
        {
            if (_word.Length > 0)
            {
                Words.Add(_word.ToString());
                _word.Clear();
                _inWord = false;
            }
            return Words;
        }
    }

    private sealed class State
    {
        private readonly ShellLexer _lexer;
        private readonly string _s;
        private readonly Func<string, string?> _lookup;
        private int _pos;

        public State(ShellLexer lexer, string s, Func<string, string?> lookup)
        {
            _lexer = lexer;
            _s = s;
            _lookup = lookup;
        }

        private const int Eof = -1;
        private int Peek() => _pos < _s.Length ? _s[_pos] : Eof;
        private int Next() => _pos < _s.Length ? _s[_pos++] : Eof;

        public (string Word, List<string> Words) ProcessStopOn(char? stop)
        {
            var result = new StringBuilder();
            var words = new WordCollector();
            while (Peek() != Eof)
            {
                var ch = (char)Peek();
                if (stop is { } s && ch == s)
                {
                    Next();
                    return (result.ToString(), words.Finish());
                }
                if (ch == '\'')
                {
                    var t = SingleQuote();
                    result.Append(t);
                    words.AddRawString(t);
                }
                else if (ch == '"')
                {
                    var t = DoubleQuote();
                    result.Append(t);
                    words.AddRawString(t);
                }
                else if (ch == '$')
                {
                    var t = Dollar();
                    result.Append(t);
                    words.AddString(t);
                }
                else
                {
                    Next();
                    if (ch == _lexer.EscapeToken)
                    {
                        if (_lexer.RawEscapes)
                        {
                            words.AddRawChar(ch);
                            result.Append(ch);
                        }
                        var n = Next();
                        if (n == Eof) break;    // an escape at the very end is dropped
                        words.AddRawChar((char)n);
                        result.Append((char)n);
                    }
                    else
                    {
                        words.AddChar(ch);
                        result.Append(ch);
                    }
                }
            }
            if (stop is { } missing)
                throw new LexError($"unexpected end of statement while looking for matching {missing}");
            return (result.ToString(), words.Finish());
        }

        // Single quotes keep everything literally; a single quote cannot be escaped inside.
        private string SingleQuote()
        {
            var result = new StringBuilder();
            var ch = Next();
            if (_lexer.RawQuotes) result.Append((char)ch);
            while (true)
            {
                ch = Next();
                if (ch == Eof) throw new LexError("unexpected end of statement while looking for matching single-quote");
                if (ch == '\'')
                {
                    if (_lexer.RawQuotes) result.Append('\'');
                    return result.ToString();
                }
                result.Append((char)ch);
            }
        }

        // Double quotes substitute variables; the escape token escapes only " $ and itself.
        private string DoubleQuote()
        {
            var result = new StringBuilder();
            var ch = Next();
            if (_lexer.RawQuotes) result.Append((char)ch);
            while (true)
            {
                var p = Peek();
                if (p == Eof) throw new LexError("unexpected end of statement while looking for matching double-quote");
                if (p == '"')
                {
                    Next();
                    if (_lexer.RawQuotes) result.Append('"');
                    return result.ToString();
                }
                if (p == '$')
                {
                    result.Append(Dollar());
                    continue;
                }
                var c = (char)Next();
                if (c == _lexer.EscapeToken)
                {
                    if (_lexer.RawEscapes) result.Append(c);
                    var n = Peek();
                    if (n == Eof) continue;
                    if (n == '"' || n == '$' || n == _lexer.EscapeToken)
                    {
                        c = (char)Next();
                    }
                    else if (_lexer.RawEscapes)
                    {
                        continue;   // the escape was already kept and has no effect
                    }
                }
                result.Append(c);
            }
        }

        private string Dollar()
        {
            Next(); // '$'
            if (Peek() != '{')
            {
                var name = Name();
                if (name.Length == 0) return "$";
                var value = _lookup(name);
                if (value is null && _lexer.SkipUnsetEnv) return "$" + name;
                return value ?? "";
            }

            Next(); // '{'
            switch (Peek())
            {
                case Eof: throw new LexError("syntax error: missing '}'");
                case '{':
                case '}':
                case ':':
                    throw new LexError("syntax error: bad substitution");
            }
            var varName = Name();
            var ch = Next();
            switch (ch)
            {
                case '}':
                {
                    var value = _lookup(varName);
                    if (value is null && _lexer.SkipUnsetEnv) return "${" + varName + "}";
                    return value ?? "";
                }
                case ':':
                {
                    var modifier = Next();
                    if (modifier == Eof) throw new LexError("syntax error: missing '}'");
                    var word = WordUntilBrace();
                    var value = _lookup(varName);
                    if (value is null && _lexer.SkipUnsetEnv) return $"${{{varName}:{(char)modifier}{word}}}";
                    switch ((char)modifier)
                    {
                        case '+': return string.IsNullOrEmpty(value) ? "" : word;
                        case '-': return string.IsNullOrEmpty(value) ? word : value;
                        case '?':
                            if (value is null) throw new LexError($"{varName}: {(word.Length == 0 ? "is not allowed to be unset" : word)}");
                            if (value.Length == 0) throw new LexError($"{varName}: {(word.Length == 0 ? "is not allowed to be empty" : word)}");
                            return value;
                        default:
                            throw new LexError($"unsupported modifier ({(char)modifier}) in substitution");
                    }
                }
                case '+':
                case '-':
                case '?':
                {
                    var word = WordUntilBrace();
                    var value = _lookup(varName);
                    if (value is null && _lexer.SkipUnsetEnv) return $"${{{varName}{(char)ch}{word}}}";
                    return (char)ch switch
                    {
                        '+' => value is null ? "" : word,
                        '-' => value ?? word,
                        _ => value ?? throw new LexError($"{varName}: {(word.Length == 0 ? "is not allowed to be unset" : word)}"),
                    };
                }
                case '#':
                case '%':
                {
                    var longest = Peek() == ch;
                    if (longest) Next();
                    var pattern = WordUntilBrace();
                    var value = _lookup(varName);
                    if (value is null && _lexer.SkipUnsetEnv)
                        return $"${{{varName}{(char)ch}{(longest ? ((char)ch).ToString() : "")}{pattern}}}";
                    return TrimPattern(value ?? "", pattern, fromStart: ch == '#', longest);
                }
                case Eof:
                    throw new LexError("syntax error: missing '}'");
                default:
                    throw new LexError($"unsupported modifier ({(char)ch}) in substitution");
            }
        }

        private string WordUntilBrace()
        {
            try
            {
                return ProcessStopOn('}').Word;
            }
            catch (LexError) when (Peek() == Eof)
            {
                throw new LexError("syntax error: missing '}'");
            }
        }

        // A name is letters, digits and '_'; a leading digit reads a positional parameter and
        // a single special character ($@, $#, ...) is a special parameter: both are unset here.
        private string Name()
        {
            var name = new StringBuilder();
            while (Peek() != Eof)
            {
                var ch = (char)Peek();
                if (name.Length == 0 && char.IsDigit(ch))
                {
                    while (Peek() != Eof && char.IsDigit((char)Peek())) name.Append((char)Next());
                    return name.ToString();
                }
                if (name.Length == 0 && "@*#?-$!0".Contains(ch)) return ((char)Next()).ToString();
                if (!(char.IsLetterOrDigit(ch) || ch == '_')) break;
                name.Append((char)Next());
            }
            return name.ToString();
        }
    }

    /// <summary>`${V#p}` / `${V##p}` / `${V%p}` / `${V%%p}`: removes the shortest/longest glob match at the start/end.</summary>
    private static string TrimPattern(string value, string pattern, bool fromStart, bool longest)
    {
        var regex = new System.Text.RegularExpressions.Regex("^" + GlobToRegex(pattern) + "$",
            System.Text.RegularExpressions.RegexOptions.Singleline | System.Text.RegularExpressions.RegexOptions.CultureInvariant);
        if (fromStart)
        {
            if (longest)
            {
                for (var n = value.Length; n >= 0; n--) if (regex.IsMatch(value[..n])) return value[n..];
            }
            else
            {
                for (var n = 0; n <= value.Length; n++) if (regex.IsMatch(value[..n])) return value[n..];
            }
        }
        else
        {
            if (longest)
            {
                for (var n = 0; n <= value.Length; n++) if (regex.IsMatch(value[n..])) return value[..n];
            }
            else
            {
                for (var n = value.Length; n >= 0; n--) if (regex.IsMatch(value[n..])) return value[..n];
            }
        }
        return value;
    }

    private static string GlobToRegex(string glob)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < glob.Length; i++)
        {
            var c = glob[i];
            switch (c)
            {
                case '*': sb.Append(".*"); break;
                case '?': sb.Append('.'); break;
                case '\\' when i + 1 < glob.Length: sb.Append(System.Text.RegularExpressions.Regex.Escape(glob[++i].ToString())); break;
                default: sb.Append(System.Text.RegularExpressions.Regex.Escape(c.ToString())); break;
            }
        }
        return sb.ToString();
    }
}
