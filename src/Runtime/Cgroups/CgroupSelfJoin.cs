namespace ContainerPS.Runtime.Cgroups;

/// <summary>
/// A process joining its container's v1 cgroups by itself, from the thread that will execve
/// (the container's init before exec): "0" written to each hierarchy's <c>tasks</c> file moves
/// the writing thread only and, unlike any write to <c>cgroup.procs</c>, does not take the
/// kernel's global cgroup_threadgroup_rwsem (kernel/cgroup/cgroup.c, cgroup_procs_write_start:
/// "If we migrate a single thread ... the thread is current ... we can skip the global lock").
/// That lock's write side first waits for an RCU grace period unless a migration happened
/// within the last one: 8–16 ms measured here for a cgroup.procs write, 0.05 ms for this.
/// The process's other threads stay behind and die at execve, which keeps the calling thread,
/// so the exec'ed program runs wholly inside the cgroup.
/// </summary>
public static class CgroupSelfJoin
{
    /// <summary>Writes "0" to every file of <see cref="ICgroupManager.SelfJoinFiles"/>.</summary>
    /// <exception cref="CgroupException">A file is missing or the kernel refused the move.</exception>
    public static void Join(IEnumerable<string> taskFiles, CgroupFiles? files = null)
    {
        files ??= CgroupFiles.Default;
        foreach (var file in taskFiles) files.WriteText(file, "0");
    }
}
