using ContainerPS.Engine.Build.Expansion;

namespace ContainerPS.Engine.Build.Instructions;

/// <summary>FROM [--platform=…] image [AS name]: starts a stage. <see cref="StageName"/> is lower-cased, as Docker does.</summary>
public sealed record FromInstruction : Instruction
{
    public override string Name => "FROM";
    public required string BaseName { get; init; }
    public string? StageName { get; init; }
    public string? Platform { get; init; }

    /// <summary>`FROM scratch`: an empty base.</summary>
    public bool IsScratch => BaseName.Equals("scratch", StringComparison.OrdinalIgnoreCase);

    public override bool IsExpanded => true;

    /// <summary>Expands the base name and platform (with the global scope's meta args, see <see cref="Stages.GlobalScope"/>).</summary>
    public override Instruction Expand(WordExpander expander) => this with
    {
        BaseName = expander.Word(BaseName),
        Platform = Platform is null ? null : expander.Word(Platform),
    };
}
