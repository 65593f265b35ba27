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
