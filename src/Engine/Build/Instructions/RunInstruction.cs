using ContainerPS.Engine.Build.Expansion;

namespace ContainerPS.Engine.Build.Instructions;

/// <summary>
/// RUN [--mount=…] [--network=default|none|host] [--security=…] command. The command is not
/// expanded by the builder (the shell does it); the --mount values are.
/// </summary>
public sealed record RunInstruction : Instruction
{
    public override string Name => "RUN";
    public required CommandLine Command { get; init; }

    /// <summary>The raw --mount values (expanded by <see cref="Expand"/>).</summary>
    public IReadOnlyList<string> MountSpecs { get; init; } = Array.Empty<string>();

    public IReadOnlyList<RunMount> Mounts { get; init; } = Array.Empty<RunMount>();
    public string? Network { get; init; }
    public string? Security { get; init; }

    public override bool IsExpanded => MountSpecs.Count > 0;

    public override Instruction Expand(WordExpander expander)
    {
        if (MountSpecs.Count == 0) return this;
        var specs = MountSpecs.Select(expander.Word).ToList();
        return this with { MountSpecs = specs, Mounts = specs.Select(RunMount.Parse).ToList() };
    }
}
