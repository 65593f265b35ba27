namespace ContainerPS.Engine.Build.Instructions;

/// <summary>CMD: the image's default command (exec or shell form); not expanded by the builder.</summary>
public sealed record CmdInstruction : Instruction
{
    public override string Name => "CMD";
    public required CommandLine Command { get; init; }
}
