namespace ContainerPS.Engine.Build.Instructions;

/// <summary>ENTRYPOINT (exec or shell form); an empty one (`ENTRYPOINT []`) clears it. Not expanded.</summary>
public sealed record EntrypointInstruction : Instruction
{
    public override string Name => "ENTRYPOINT";
    public required CommandLine Command { get; init; }
}
