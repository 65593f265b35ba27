namespace ContainerPS.Runtime.Cgroups;

/// <summary>
/// The cgroup of one container, at <see cref="Path"/> ("/containerps/&lt;id&gt;") relative to each
/// hierarchy's root. Obtain one from <see cref="CgroupManagerFactory"/>. Killing processes is the
/// caller's job (see <see cref="Processes"/>); these calls never signal anything.
/// </summary>
public interface ICgroupManager
{
    /// <summary>The cgroup path relative to each hierarchy root, e.g. "/containerps/abc".</summary>
    string Path { get; }

    /// <summary>The layout this manager drives (V1 and Hybrid use v1 controllers; V2 the unified tree).</summary>
    CgroupMode Mode { get; }

    /// <summary>Absolute cgroup directories this manager creates, one per hierarchy used.</summary>
    IReadOnlyList<string> Directories { get; }

    /// <summary>True while any of the container's cgroup directories exists.</summary>
    bool Exists { get; }

    /// <summary>
    /// Creates the cgroup in every hierarchy used (idempotent). v1 cpuset gets cpuset.cpus/mems
    /// copied from its parent, without which no task can join; v2 enables the available controllers
    /// in each ancestor's cgroup.subtree_control.
    /// </summary>
    /// <exception cref="CgroupException"/>
    void Create();

    /// <summary>Applies the non-null limits of <paramref name="resources"/>.</summary>
    /// <exception cref="CgroupException">Invalid values, a missing controller, or the kernel refused a value.</exception>
    void Apply(CgroupResources resources);

    /// <summary>Moves process <paramref name="pid"/> (with its threads) into the cgroup in every hierarchy.</summary>
    /// <exception cref="CgroupException">ESRCH when the process is gone.</exception>
    void AddProcess(int pid);

    /// <summary>
    /// Files a process writes "0" to, from the thread that will execve, to join the cgroup by
    /// itself (see <see cref="CgroupSelfJoin"/>): each v1 hierarchy's <c>tasks</c>. Writing
    /// the caller's own thread to <c>tasks</c> is the one migration that skips the kernel's
    /// global cgroup_threadgroup_rwsem, whose write side waits for an RCU grace period
    /// (~10 ms on this kind of machine) unless another migration happened just before; every
    /// write to <c>cgroup.procs</c> takes it. Empty on v2, whose domain cgroups take whole
    /// processes only.
    /// </summary>
    IReadOnlyList<string> SelfJoinFiles { get; }

    /// <summary>
    /// Moves process <paramref name="pid"/> into the hierarchies <see cref="SelfJoinFiles"/> does
    /// not cover, by cgroup.procs: none on v1, the unified tree in hybrid mode, the one cgroup on v2.
    /// </summary>
    /// <exception cref="CgroupException">ESRCH when the process is gone.</exception>
    void AddProcessBeyondSelfJoin(int pid);

    /// <summary>True when <see cref="AddProcessBeyondSelfJoin"/> has anything to do.</summary>
    bool HasHierarchiesBeyondSelfJoin { get; }

    /// <summary>The OOM-kill counter alone (cheaper than <see cref="GetStats"/>); null without a memory controller or counter.</summary>
    long? OomKills();

    /// <summary>Freezes every process and waits until the kernel reports the cgroup frozen.</summary>
    /// <exception cref="CgroupException">No freezer, or not frozen within <paramref name="timeout"/> (default 5 s; the cgroup is thawed again).</exception>
    void Freeze(TimeSpan? timeout = null);

    /// <summary>Thaws the cgroup and waits until the kernel reports it thawed.</summary>
    void Thaw(TimeSpan? timeout = null);

    /// <summary>Reads the accounting files.</summary>
    CgroupStats GetStats();

    /// <summary>PIDs of all processes in the cgroup and its child cgroups, sorted; empty when it is gone.</summary>
    IReadOnlyList<int> Processes();

    /// <summary>
    /// Removes the container's cgroup directories (child cgroups first), retrying briefly on EBUSY
    /// while exiting processes leave. Idempotent: nothing to remove is success. Kills nothing.
    /// </summary>
    /// <exception cref="CgroupException">A directory stayed busy for <paramref name="timeout"/> (default 2 s).</exception>
    void Destroy(TimeSpan? timeout = null);
}
