using ContainerPS.Runtime.Cgroups;

namespace ContainerPS.Engine.Containers.Stats;

/// <summary>One reading of a container's counters; two of them make a <see cref="ContainerStats"/>.</summary>
internal sealed record StatsSample(Container Container, CgroupStats? Cgroup, long SystemNanoseconds, int OnlineCpus, long NetworkRx, long NetworkTx, DateTimeOffset Read);
