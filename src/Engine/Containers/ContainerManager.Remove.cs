using ContainerPS.Engine.Errors;
using ContainerPS.Engine.Store;
using ContainerPS.Runtime.Cgroups;
using ContainerPS.Runtime.IO;
using ContainerPS.Runtime.Monitor;

namespace ContainerPS.Engine.Containers;

public sealed partial class ContainerManager
{
    /// <summary>
    /// docker rm: a running container needs <paramref name="force"/> (then it is killed first).
    /// Everything goes: record, copy-on-write layer, log, cgroup. The directory is renamed
    /// before deletion so a half-removed container is never listed.
    /// </summary>
    public Task<Container> RemoveAsync(string nameOrId, bool force, CancellationToken cancellationToken) =>
        RemoveAsync(nameOrId, force, removeVolumes: false, cancellationToken);

    /// <summary>docker rm [-v]: with <paramref name="removeVolumes"/> the container's anonymous volumes go too (named ones stay, as Docker keeps them).</summary>
    public async Task<Container> RemoveAsync(string nameOrId, bool force, bool removeVolumes, CancellationToken cancellationToken)
    {
        var record = Resolve(nameOrId);
        var c = ToContainer(record);
        if (c.Running)
        {
            if (!force)
                throw new ConflictException("ContainerRunning",
                    $"You cannot remove a {(c.State == Runtime.Monitor.ContainerStatus.Paused ? "paused" : "running")} container {record.Id}. Stop the container before attempting removal or force remove", record.Name, ErrorKind.FailedPrecondition);
            await KillAsync(record.Id, "SIGKILL", cancellationToken).ConfigureAwait(false);
        }
        else if (ReadState(record.Id) is { Status: ContainerStatus.Created, Socket: { } socket } held && MonitorAlive(held.MonitorPid))
        {
            // A monitor holding a process before exec (waiting for attach) goes with the container.
            // (Not one that is only finishing its clean-up after the exit: it ends by itself.)
            await RequestToleratingExitAsync(socket, new MonitorRequest { Op = "stop", Signal = Signals.SIGKILL, TimeoutSeconds = 1 }, cancellationToken).ConfigureAwait(false);
        }
        await WaitForMonitorExitAsync(record.Id, cancellationToken).ConfigureAwait(false);
        RemoveQuietly(record.Id);
        if (removeVolumes) Volumes.RemoveUnused(record.Mounts.Where(m => m.Anonymous && m.Name is not null).Select(m => m.Name!));
        return c;
    }

    /// <summary>docker container prune: removes every stopped container.</summary>
    public async Task<IReadOnlyList<Container>> PruneAsync(CancellationToken cancellationToken)
    {
        var removed = new List<Container>();
        foreach (var c in List(all: true).Where(c => !c.Running))
            removed.Add(await RemoveAsync(c.Id, force: false, cancellationToken).ConfigureAwait(false));
        return removed;
    }

    internal void RemoveQuietly(string id)
    {
        var dir = DirOf(id);
        if (!Directory.Exists(dir)) return;
        TearDownStaleNetwork(id);
        var doomed = System.IO.Path.Combine(Layout.Containers, RemovedPrefix + id);
        using (StoreLock.Acquire(Layout))
        {
            if (!Directory.Exists(dir)) return; // the monitor of an -AutoRemove container removed it meanwhile (same lock)
            // The container is gone from here on: its name and ID are free, nothing lists it.
            Directory.Move(dir, doomed);
        }
        var socket = System.IO.Path.Combine("/run/containerps", id + ".sock");
        AtomicFile.TryDelete(socket);
        // Unlinking its files (~0.6 ms for a `true` container on ext4, far more for a big
        // writable layer) and the cgroup check happen behind the caller.
        DeferredDeletion.Delete(doomed, () => DestroyLeftoverCgroup(id));
        DeferredDeletion.SweepOnce(Layout.Containers, RemovedPrefix, AtomicFile.TempPrefix + "rm-");
    }

    /// <summary>A removed container's directory, renamed out of sight until it is deleted (<see cref="DeferredDeletion"/>).</summary>
    private const string RemovedPrefix = ".rm-";

    /// <summary>A monitor that crashed cannot have removed its cgroup; one that ended normally did (then this finds nothing).</summary>
    private static void DestroyLeftoverCgroup(string id)
    {
        try { CgroupManagerFactory.For(id).Destroy(TimeSpan.FromSeconds(2)); }
        catch (Exception ex) when (ex is CgroupException or IOException) { }
    }

    /// <summary>docker rename.</summary>
    public Container Rename(string nameOrId, string newName)
    {
        var name = ContainerNames.Validate(newName);
        using var held = StoreLock.Acquire(Layout);
        var record = Resolve(nameOrId);
        var owner = Records().FirstOrDefault(r => r.Name == name);
        if (owner is not null && owner.Id != record.Id)
            throw new ConflictException("ContainerNameInUse",
                $"Error when allocating new name: Conflict. The container name \"/{name}\" is already in use by container \"{owner.Id}\". You have to remove (or rename) that container to be able to reuse that name.", name, ErrorKind.AlreadyExists);
        record.Name = name;
        WriteRecord(DirOf(record.Id), record);
        return ToContainer(record);
    }
}
