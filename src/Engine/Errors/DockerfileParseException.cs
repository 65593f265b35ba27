namespace ContainerPS.Engine.Errors;

/// <summary>
/// A Dockerfile (or `--change` instruction) that cannot be parsed or expanded. Carries the file
/// and the 1-based line range. <see cref="Exception.Message"/> is "<file>:<line>: <reason>"
/// ("Dockerfile:3: unknown instruction: FOO"); <see cref="DockerMessage"/> is BuildKit's wording
/// ("dockerfile parse error on line 3: unknown instruction: FOO").
/// </summary>
public sealed class DockerfileParseException : EngineException
{
    public DockerfileParseException(string file, int line, int endLine, string reason, Exception? inner = null)
        : base(ErrorKind.ParseError, "DockerfileParseError", $"{file}:{line}: {reason}", file, inner)
    {
        File = file;
        Line = line;
        EndLine = endLine < line ? line : endLine;
        Reason = reason;
    }

    /// <summary>The Dockerfile's name or path as given to the parser.</summary>
    public string File { get; }

    /// <summary>1-based line where the offending instruction starts (0 when the file is empty).</summary>
    public int Line { get; }

    public int EndLine { get; }

    /// <summary>What is wrong, without location ("unknown instruction: FOO").</summary>
    public string Reason { get; }

    /// <summary>The message as BuildKit words it.</summary>
    public string DockerMessage => $"dockerfile parse error on line {Line}: {Reason}";
}
