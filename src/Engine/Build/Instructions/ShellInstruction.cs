namespace ContainerPS.Engine.Build.Instructions;

/// <summary>SHELL ["executable", "parameters"]: the shell for later shell-form RUN/CMD/ENTRYPOINT (JSON form only).</summary>
public sealed record ShellInstruction : Instruction
{
    public override string Name => "SHELL";
    public required IReadOnlyList<string> Shell { get; init; }
}
