using System.Text.Json.Serialization;
using ContainerPS.Engine.Build.Expansion;
using ContainerPS.Engine.Build.Parsing;

namespace ContainerPS.Engine.Build.Instructions;

/// <summary>
/// A typed Dockerfile instruction (BuildKit's instructions package). Records are produced
/// unexpanded by <see cref="InstructionParser"/>; <see cref="Expand"/> returns a copy with
/// Docker's variable substitution applied for the instructions Docker expands (ADD COPY ENV
/// EXPOSE FROM LABEL STOPSIGNAL USER VOLUME WORKDIR, ARG defaults, RUN --mount); RUN, CMD,
/// ENTRYPOINT, SHELL, HEALTHCHECK, MAINTAINER and ONBUILD are returned as they are.
/// </summary>
public abstract record Instruction
{
    /// <summary>The syntax node: line range, original text, flags, heredocs.</summary>
    [JsonIgnore]
    public required SyntaxNode Node { get; init; }

    /// <summary>Upper-case instruction name ("RUN").</summary>
    public abstract string Name { get; }

    [JsonIgnore] public int StartLine => Node.StartLine;
    [JsonIgnore] public int EndLine => Node.EndLine;
    [JsonIgnore] public string Original => Node.Original;

    /// <summary>Whether Docker substitutes variables in this instruction.</summary>
    [JsonIgnore] public virtual bool IsExpanded => false;

    /// <summary>A copy with variables substituted (this instance when the instruction is not expanded).</summary>
    /// <exception cref="ShellSyntaxException">bad substitution; the caller adds file and line.</exception>
    public virtual Instruction Expand(WordExpander expander) => this;

    /// <summary>The instruction as Docker writes it in history ("ENV A=b", "COPY file:… in /").</summary>
    public override string ToString() => Original;
}
