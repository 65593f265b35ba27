using ContainerPS.Engine.Build.Expansion;

namespace ContainerPS.Engine.Build.Instructions;

/// <summary>ARG name[=default] …: defaults are expanded (a --build-arg value replaces a default unexpanded; see <see cref="Stages.StageScope"/>).</summary>
public sealed record ArgInstruction : Instruction
{
    public override string Name => "ARG";
    public required IReadOnlyList<ArgDeclaration> Args { get; init; }
    public override bool IsExpanded => true;

    public override Instruction Expand(WordExpander expander) =>
        this with { Args = Args.Select(a => a with { Value = a.Value is null ? null : expander.Word(a.Value) }).ToList() };
}
