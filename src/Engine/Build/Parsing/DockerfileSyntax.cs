namespace ContainerPS.Engine.Build.Parsing;

/// <summary>The syntax tree of one Dockerfile: its directives and its instructions in order.</summary>
public sealed class DockerfileSyntax
{
    public DockerfileSyntax(string file, char escapeToken, IReadOnlyList<ParserDirective> directives,
        IReadOnlyList<SyntaxNode> nodes, IReadOnlyList<ParseWarning> warnings)
    {
        File = file;
        EscapeToken = escapeToken;
        Directives = directives;
        Nodes = nodes;
        Warnings = warnings;
    }

    /// <summary>The name errors use ("Dockerfile", or the path given).</summary>
    public string File { get; }

    /// <summary>'\\' by default, '`' with `# escape=``.</summary>
    public char EscapeToken { get; }

    public IReadOnlyList<ParserDirective> Directives { get; }
    public IReadOnlyList<SyntaxNode> Nodes { get; }
    public IReadOnlyList<ParseWarning> Warnings { get; }

    /// <summary>The `# syntax=` directive's value, if any (accepted and otherwise ignored: there is one frontend).</summary>
    public string? Syntax => Directives.FirstOrDefault(d => d.Name == "syntax")?.Value;
}
