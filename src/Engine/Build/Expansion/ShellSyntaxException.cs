namespace ContainerPS.Engine.Build.Expansion;

/// <summary>
/// A word the shell lexer cannot process ("syntax error: bad substitution", an unmatched
/// quote, `${X:?}` with X unset). Callers that know the Dockerfile line wrap it in a
/// <see cref="Errors.DockerfileParseException"/>.
/// </summary>
public sealed class ShellSyntaxException : FormatException
{
    public ShellSyntaxException(string word, string reason) : base($"failed to process \"{word}\": {reason}")
    {
        Word = word;
        Reason = reason;
    }

    public string Word { get; }
    public string Reason { get; }
}
