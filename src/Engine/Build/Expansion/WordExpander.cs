namespace ContainerPS.Engine.Build.Expansion;

/// <summary>
/// Expands words of one instruction against one environment (a stage's ARG and ENV values):
/// the single-word expansion Docker applies to ADD COPY ENV FROM LABEL STOPSIGNAL USER VOLUME
/// WORKDIR (and ARG defaults), the word-splitting one EXPOSE uses, and the quote-preserving one
/// for heredoc content of COPY/ADD (BuildKit's ExpandRaw).
/// </summary>
public sealed class WordExpander
{
    private readonly ShellLexer _lexer;
    private readonly ShellLexer _raw;
    private readonly Func<string, string?> _lookup;

    public WordExpander(char escapeToken, Func<string, string?> lookup)
    {
        _lexer = new ShellLexer(escapeToken);
        _raw = new ShellLexer(escapeToken) { RawQuotes = true };
        _lookup = lookup;
    }

    public WordExpander(char escapeToken, IReadOnlyDictionary<string, string> env)
        : this(escapeToken, k => env.TryGetValue(k, out var v) ? v : null) { }

    /// <exception cref="ShellSyntaxException">bad substitution or unmatched quote.</exception>
    public string Word(string word) => _lexer.ProcessWord(word, _lookup);

    /// <exception cref="ShellSyntaxException">bad substitution or unmatched quote.</exception>
    public IReadOnlyList<string> Words(string word) => _lexer.ProcessWords(word, _lookup);

    /// <summary>Substitutes variables but keeps quotes (heredoc content of COPY/ADD).</summary>
    public string Raw(string text) => _raw.ProcessWord(text, _lookup);
}
