using ContainerPS.Engine.Build.Instructions;
using ContainerPS.Engine.Build.Parsing;

namespace ContainerPS.Engine.Build.Stages;

/// <summary>
/// One instruction of a Dockerfile as ConvertFrom-Dockerfile shows it: flat, uniform
/// properties for Where-Object and friends (name, flags, arguments or the JSON-form command,
/// heredocs, stage, lines, original text), plus the typed record in <see cref="Parsed"/>.
/// </summary>
public sealed class DockerfileInstruction
{
    public DockerfileInstruction(string file, BuildStage? stage, Instruction parsed)
    {
        File = file;
        Parsed = parsed;
        var node = parsed.Node;
        Instruction = parsed.Name;
        Flags = node.Flags.ToArray();
        Arguments = node.Child is { } child
            ? new[] { child.Name }.Concat(child.Arguments).ToArray()
            : parsed switch
            {
                // Pairs read best, and filter best, as they are written: KEY=value.
                EnvInstruction env => env.Variables.Select(v => v.ToString()).ToArray(),
                LabelInstruction label => label.Labels.Select(l => l.ToString()).ToArray(),
                _ => node.Arguments.ToArray(),
            };
        IsJsonForm = node.IsJson;
        Command = node.IsJson ? node.Arguments.ToArray() : null;
        Heredocs = node.Heredocs.ToArray();
        Stage = stage?.DisplayName;
        StageIndex = stage?.Index ?? -1;
        StartLine = node.StartLine;
        EndLine = node.EndLine;
        Original = node.Original;
        Comments = node.Comments.ToArray();
    }

    /// <summary>The Dockerfile's path (or name).</summary>
    public string File { get; }

    /// <summary>Upper-case instruction name: "RUN", "COPY", ...</summary>
    public string Instruction { get; }

    /// <summary>"--name=value" flags as written (quotes removed).</summary>
    public string[] Flags { get; }

    /// <summary>
    /// The arguments as the parser split them: ENV and LABEL as "KEY=value" (quotes kept, unexpanded),
    /// ONBUILD as the trigger's name then its arguments.
    /// </summary>
    public string[] Arguments { get; }

    /// <summary>True when the arguments were a JSON array (exec form).</summary>
    public bool IsJsonForm { get; }

    /// <summary>The JSON-form command (argv), or null in shell form.</summary>
    public string[]? Command { get; }

    public Heredoc[] Heredocs { get; }

    /// <summary>The stage's name, else its index as text; null for ARGs before the first FROM.</summary>
    public string? Stage { get; }

    /// <summary>0-based stage index; -1 for ARGs before the first FROM.</summary>
    public int StageIndex { get; }

    public int StartLine { get; }
    public int EndLine { get; }

    /// <summary>The instruction's text, continuation lines joined.</summary>
    public string Original { get; }

    /// <summary>Comment lines directly above the instruction.</summary>
    public string[] Comments { get; }

    /// <summary>The typed instruction (FromInstruction, RunInstruction, CopyInstruction, ...), unexpanded.</summary>
    public Instruction Parsed { get; }

    public override string ToString() => $"{File}:{StartLine}: {Original}";
}
