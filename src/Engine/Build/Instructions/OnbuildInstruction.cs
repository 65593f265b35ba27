namespace ContainerPS.Engine.Build.Instructions;

/// <summary>
/// ONBUILD trigger: stored in the image config as <see cref="Expression"/> (the text after
/// ONBUILD, heredocs appended as BuildKit does) and run when the image is used as a base.
/// <see cref="Trigger"/> is the parsed trigger, or null when it does not parse (Docker only
/// finds out when the trigger fires). Not expanded.
/// </summary>
public sealed record OnbuildInstruction : Instruction
{
    public override string Name => "ONBUILD";
    public required string Expression { get; init; }
    public Instruction? Trigger { get; init; }
}
