namespace ContainerPS.Engine.Build.Parsing;

/// <summary>
/// One instruction of a Dockerfile as the parser sees it: keyword, `--flags`, arguments and
/// heredocs, with its line range and the original (continuation-joined) text. The parser
/// knows nothing about what instructions mean; <see cref="Instructions.InstructionParser"/>
/// turns nodes into typed records. Shaped like BuildKit's parser.Node, flattened.
/// </summary>
public sealed class SyntaxNode
{
    public SyntaxNode(string keyword, string original, IReadOnlyList<string> flags, IReadOnlyList<string> arguments,
        bool isJson, SyntaxNode? child, IReadOnlyList<string> comments)
    {
        Keyword = keyword;
        Original = original;
        Flags = flags;
        Arguments = arguments;
        IsJson = isJson;
        Child = child;
        Comments = comments;
    }

    /// <summary>The instruction keyword as written ("RUN", "run", "Copy"...).</summary>
    public string Keyword { get; }

    /// <summary>The keyword in upper case: the instruction's name.</summary>
    public string Name => Keyword.ToUpperInvariant();

    /// <summary>The logical line: continuations joined, comment lines inside removed.</summary>
    public string Original { get; }

    /// <summary>The `--name=value` flags before the arguments, quotes removed ("--from=build").</summary>
    public IReadOnlyList<string> Flags { get; }

    /// <summary>
    /// The arguments: the JSON array's strings (exec form), the rest of the line as one string
    /// (shell form of RUN/CMD/ENTRYPOINT/SHELL, MAINTAINER, USER, WORKDIR, STOPSIGNAL),
    /// whitespace-separated words (FROM, EXPOSE, ADD/COPY/VOLUME shell form), key/value pairs
    /// flattened as key, value, key, value (ENV, LABEL), raw words with quotes (ARG), or for
    /// HEALTHCHECK the type followed by the command. ONBUILD keeps its trigger in <see cref="Child"/>.
    /// </summary>
    public IReadOnlyList<string> Arguments { get; }

    /// <summary>True when the arguments came from a JSON array (exec form).</summary>
    public bool IsJson { get; }

    /// <summary>ONBUILD's trigger instruction.</summary>
    public SyntaxNode? Child { get; }

    /// <summary>Comment lines directly above the instruction (without '#').</summary>
    public IReadOnlyList<string> Comments { get; }

    public IReadOnlyList<Heredoc> Heredocs { get; internal set; } = Array.Empty<Heredoc>();

    /// <summary>1-based line where the instruction starts.</summary>
    public int StartLine { get; internal set; }

    /// <summary>1-based line where the instruction (including its heredocs) ends.</summary>
    public int EndLine { get; internal set; }

    public override string ToString() => $"{StartLine}: {Original}";
}
