namespace ContainerPS.Engine.Build.Instructions;

/// <summary>MAINTAINER (deprecated): sets the image's author; not expanded.</summary>
public sealed record MaintainerInstruction : Instruction
{
    public override string Name => "MAINTAINER";
    public required string Maintainer { get; init; }
}
