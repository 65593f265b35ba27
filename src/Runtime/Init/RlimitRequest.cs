namespace ContainerPS.Runtime.Init;

/// <summary>One process.rlimits entry: "RLIMIT_NOFILE" with soft and hard limits.</summary>
public sealed record RlimitRequest(string Type, ulong Soft, ulong Hard);
