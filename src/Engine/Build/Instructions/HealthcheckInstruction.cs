namespace ContainerPS.Engine.Build.Instructions;

/// <summary>HEALTHCHECK NONE | HEALTHCHECK [--interval --timeout --start-period --start-interval --retries] CMD command. Not expanded.</summary>
public sealed record HealthcheckInstruction : Instruction
{
    public override string Name => "HEALTHCHECK";
    public required HealthcheckConfig Health { get; init; }
}
