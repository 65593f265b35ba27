using ContainerPS.Engine.Build.Instructions;
using ContainerPS.Engine.Build.Parsing;
using ContainerPS.Engine.Errors;

namespace ContainerPS.Engine.Build.Stages;

/// <summary>
/// A parsed Dockerfile: the global ARGs before the first FROM (<see cref="MetaArgs"/>) and the
/// stages with their typed, unexpanded instructions. Build with <see cref="GlobalScope"/> and
/// <see cref="StageScope"/> (expansion), <see cref="StageGraph"/> (dependencies, -Target).
/// </summary>
public sealed class Dockerfile
{
    private Dockerfile(DockerfileSyntax syntax, IReadOnlyList<ArgInstruction> metaArgs, IReadOnlyList<BuildStage> stages)
    {
        Syntax = syntax;
        MetaArgs = metaArgs;
        Stages = stages;
    }

    public DockerfileSyntax Syntax { get; }

    /// <summary>The name or path errors carry.</summary>
    public string File => Syntax.File;

    public char EscapeToken => Syntax.EscapeToken;

    /// <summary>ARG instructions before the first FROM (global scope: usable in FROM lines).</summary>
    public IReadOnlyList<ArgInstruction> MetaArgs { get; }

    public IReadOnlyList<BuildStage> Stages { get; }

    /// <summary>Parses text.</summary>
    /// <exception cref="DockerfileParseException">syntax errors, unknown instructions, an instruction before FROM, no FROM.</exception>
    public static Dockerfile Parse(string text, string file = "Dockerfile") => FromSyntax(DockerfileParser.Parse(text, file));

    /// <summary>Reads and parses a file; errors name <paramref name="path"/> as given.</summary>
    /// <exception cref="NotFoundException">the file does not exist.</exception>
    /// <exception cref="DockerfileParseException">malformed content.</exception>
    public static async Task<Dockerfile> LoadAsync(string path, CancellationToken cancellationToken)
    {
        string text;
        try
        {
            text = await System.IO.File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new NotFoundException("DockerfileNotFound", $"Dockerfile not found: {path}", path);
        }
        return Parse(text, path);
    }

    /// <summary>Types every node of a syntax tree and groups them into stages.</summary>
    public static Dockerfile FromSyntax(DockerfileSyntax syntax)
    {
        var metaArgs = new List<ArgInstruction>();
        var stages = new List<BuildStage>();
        FromInstruction? from = null;
        var current = new List<Instruction>();
        foreach (var node in syntax.Nodes)
        {
            var instruction = InstructionParser.Parse(node, syntax.File);
            switch (instruction)
            {
                case FromInstruction f:
                    if (from is not null) stages.Add(new BuildStage(stages.Count, from, current));
                    from = f;
                    current = new List<Instruction>();
                    break;
                case ArgInstruction a when from is null:
                    metaArgs.Add(a);
                    break;
                default:
                    if (from is null)
                        throw new DockerfileParseException(syntax.File, node.StartLine, node.EndLine,
                            "no build stage in current context");
                    current.Add(instruction);
                    break;
            }
        }
        if (from is null)
        {
            var line = syntax.Nodes.Count > 0 ? syntax.Nodes[^1].EndLine : 0;
            throw new DockerfileParseException(syntax.File, line, line, "no build stage in current context");
        }
        stages.Add(new BuildStage(stages.Count, from, current));
        return new Dockerfile(syntax, metaArgs, stages);
    }

    /// <summary>Every instruction in file order with its stage, flattened for inspection (ConvertFrom-Dockerfile).</summary>
    public IEnumerable<DockerfileInstruction> Describe()
    {
        foreach (var arg in MetaArgs) yield return new DockerfileInstruction(File, null, arg);
        foreach (var stage in Stages)
        {
            yield return new DockerfileInstruction(File, stage, stage.From);
            foreach (var instruction in stage.Instructions) yield return new DockerfileInstruction(File, stage, instruction);
        }
    }

    /// <summary>
    /// Parses ONBUILD triggers of a base image (its config's OnBuild expressions, which may hold
    /// heredocs) into instructions, refusing the ones Docker refuses as triggers.
    /// </summary>
    /// <exception cref="DockerfileParseException">a trigger that does not parse; the file is <paramref name="source"/>.</exception>
    public static IReadOnlyList<Instruction> ParseTriggers(IEnumerable<string> expressions, string source)
    {
        var result = new List<Instruction>();
        foreach (var expression in expressions)
        {
            foreach (var node in DockerfileParser.Parse(expression, source).Nodes)
            {
                var name = node.Name;
                if (name is "ONBUILD")
                    throw new DockerfileParseException(source, node.StartLine, node.EndLine, "Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed");
                if (name is "FROM" or "MAINTAINER")
                    throw new DockerfileParseException(source, node.StartLine, node.EndLine, $"{name} isn't allowed as an ONBUILD trigger");
                result.Add(InstructionParser.Parse(node, source));
            }
        }
        return result;
    }

    /// <summary>The stage with this name (case-insensitive), or null.</summary>
    public BuildStage? FindStage(string name) =>
        Stages.FirstOrDefault(s => s.Name is not null && s.Name.Equals(name, StringComparison.OrdinalIgnoreCase));
}
