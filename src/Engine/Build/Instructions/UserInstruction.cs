using ContainerPS.Engine.Build.Expansion;

namespace ContainerPS.Engine.Build.Instructions;

/// <summary>USER user[:group]: expanded.</summary>
public sealed record UserInstruction : Instruction
{
    public override string Name => "USER";
    public required string User { get; init; }
    public override bool IsExpanded => true;
    public override Instruction Expand(WordExpander expander) => this with { User = expander.Word(User) };
}
