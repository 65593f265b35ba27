namespace ContainerPS.Runtime.Init;

/// <summary>Everything <see cref="ProcessSetup"/> needs to turn the init into the entrypoint.</summary>
public sealed record ProcessRequest
{
    /// <summary>argv; Args[0] is looked up through the PATH in <see cref="Env"/> when it has no '/'.</summary>
    public required IReadOnlyList<string> Args { get; init; }

    /// <summary>The environment ("KEY=value") handed to execve and searched for PATH.</summary>
    public IReadOnlyList<string> Env { get; init; } = [];

    /// <summary>Working directory inside the container (must exist).</summary>
    public string Cwd { get; init; } = "/";

    public uint Uid { get; init; }
    public uint Gid { get; init; }
    public IReadOnlyList<uint> AdditionalGids { get; init; } = [];

    /// <summary>Capability sets; null leaves the init's capabilities (and bounding set) untouched, as runc does.</summary>
    public CapabilityRequest? Capabilities { get; init; }

    public IReadOnlyList<RlimitRequest> Rlimits { get; init; } = [];

    public bool NoNewPrivileges { get; init; }

    /// <summary>Written to /proc/self/oom_score_adj when set.</summary>
    public int? OomScoreAdj { get; init; }

    /// <summary>process umask; 022 when null.</summary>
    public uint? Umask { get; init; }

    /// <summary>Signal the init gets when its parent (the monitor) dies; re-armed after the user switch clears it. 0: none.</summary>
    public int ParentDeathSignal { get; init; }
}
