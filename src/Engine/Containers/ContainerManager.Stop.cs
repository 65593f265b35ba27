using ContainerPS.Engine.Errors;
using ContainerPS.Runtime.Monitor;
using ContainerPS.Runtime.Spawning;

namespace ContainerPS.Engine.Containers;

public sealed partial class ContainerManager
{
    /// <summary>
    /// docker stop: the stop signal (STOPSIGNAL, else SIGTERM), then SIGKILL after
    /// <paramref name="timeoutSeconds"/> (the container's StopTimeout, else 10). Restart
    /// policies do not bring a stopped container back. Stopping a stopped container does nothing.
    /// </summary>
    public async Task<Container> StopAsync(string nameOrId, int? timeoutSeconds, string? signal, CancellationToken cancellationToken)
    {
        var record = Resolve(nameOrId);
        var state = ReadState(record.Id);
        var before = ToContainer(record);
        if (!ContainerStateRules.CanStop(state.Status) || state.Socket is null) return before;
        var sig = Signals.Parse(signal ?? record.Options.StopSignal ?? "SIGTERM");
        var timeout = timeoutSeconds ?? record.Options.StopTimeout ?? 10;
        await RequestToleratingExitAsync(state.Socket, new MonitorRequest { Op = "stop", Signal = sig, TimeoutSeconds = timeout }, cancellationToken).ConfigureAwait(false);
        return await AfterExitAsync(record, before, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A stop/kill whose monitor ends (with the container) while answering has done its job.</summary>
    private static async Task RequestToleratingExitAsync(string socket, MonitorRequest request, CancellationToken cancellationToken)
    {
        try
        {
            await MonitorClient.RequestAsync(socket, request, cancellationToken).ConfigureAwait(false);
        }
        catch (EngineException ex) when (ex.ErrorId is "MonitorGone" or "MonitorUnreachable")
        {
        }
    }

    /// <summary>docker kill: sends a signal (default SIGKILL) to the container's PID 1.</summary>
    public async Task<Container> KillAsync(string nameOrId, string? signal, CancellationToken cancellationToken)
    {
        var record = Resolve(nameOrId);
        var state = ReadState(record.Id);
        if (!ContainerStateRules.CanStop(state.Status) || state.Socket is null)
            throw new ConflictException("ContainerNotRunning", $"Cannot kill container: {record.Name}: container {record.Id} is not running", record.Name, ErrorKind.FailedPrecondition);
        var sig = Signals.Parse(signal ?? "SIGKILL");
        var before = ToContainer(record);
        if (sig == Signals.SIGKILL)
        {
            // A killed container must not be restarted by its policy, as docker kill does.
            await RequestToleratingExitAsync(state.Socket, new MonitorRequest { Op = "stop", Signal = sig, TimeoutSeconds = 10 }, cancellationToken).ConfigureAwait(false);
            return await AfterExitAsync(record, before, cancellationToken).ConfigureAwait(false);
        }
        await RequestToleratingExitAsync(state.Socket, new MonitorRequest { Op = "kill", Signal = sig }, cancellationToken).ConfigureAwait(false);
        return TryGet(record.Id, out var now) ? now! : before;
    }

    /// <summary>docker restart: stop (if running), then start.</summary>
    public async Task<Container> RestartAsync(string nameOrId, int? timeoutSeconds, CancellationToken cancellationToken)
    {
        var stopped = await StopAsync(nameOrId, timeoutSeconds, null, cancellationToken).ConfigureAwait(false);
        await WaitForMonitorExitAsync(stopped.Id, cancellationToken).ConfigureAwait(false);
        return Start(stopped.Id);
    }

    /// <summary>The container after its process exited; for -AutoRemove it may be gone: then the last snapshot, marked exited.</summary>
    private async Task<Container> AfterExitAsync(ContainerRecord record, Container before, CancellationToken cancellationToken)
    {
        for (var i = 0; i < 100; i++)
        {
            if (!TryGet(record.Id, out var c)) return before with { State = ContainerStatus.Exited, Status = "Exited" };
            if (!c!.Running) return c;
            await Task.Delay(20, cancellationToken).ConfigureAwait(false);
        }
        return Get(record.Id);
    }

    /// <summary>Waits until the monitor has finished (cleaned up its cgroup and socket), so the container can start again.</summary>
    private async Task WaitForMonitorExitAsync(string id, CancellationToken cancellationToken)
    {
        var path = System.IO.Path.Combine(DirOf(id), "state.json");
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(5);
        while (DateTime.UtcNow < deadline)
        {
            ContainerStateFile state;
            try { state = ReadState(id); }
            catch (EngineException) { return; }
            if (!MonitorAlive(state.MonitorPid) || !File.Exists(path)) return;
            // Woken by the exit itself (a pidfd), not a 10 ms poll; checked again after opening
            // it, since a watch opened on a recycled PID would watch someone else.
            using (var watch = ProcessExitWatch.TryOpen(state.MonitorPid))
            {
                if (watch is not null && MonitorAlive(state.MonitorPid))
                {
                    await watch.WaitAsync(deadline - DateTime.UtcNow, cancellationToken).ConfigureAwait(false);
                    continue;
                }
            }
            // No watch: usually the monitor has just ended (between the check and the open) — done
            // at once, not after a poll; only a kernel without pidfds polls.
            if (!MonitorAlive(state.MonitorPid)) return;
            await Task.Delay(10, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>docker pause / unpause (cgroup freezer).</summary>
    public async Task<Container> PauseAsync(string nameOrId, bool pause, CancellationToken cancellationToken)
    {
        var record = Resolve(nameOrId);
        var c = ToContainer(record);
        if (pause) ContainerStateRules.EnsureRunning(c, "pausing it");
        else ContainerStateRules.EnsurePaused(c);
        var state = ReadState(record.Id);
        await MonitorClient.RequestAsync(state.Socket!, new MonitorRequest { Op = pause ? "pause" : "resume" }, cancellationToken).ConfigureAwait(false);
        return Get(record.Id);
    }

    /// <summary>docker wait: blocks until the container exits; returns its exit code.</summary>
    public async Task<int> WaitAsync(string nameOrId, CancellationToken cancellationToken)
    {
        var record = Resolve(nameOrId);
        var state = ReadState(record.Id);
        if (!ContainerStateRules.CanStop(state.Status) || state.Socket is null) return state.ExitCode;
        try
        {
            var response = await MonitorClient.RequestAsync(state.Socket, new MonitorRequest { Op = "wait" }, cancellationToken).ConfigureAwait(false);
            return response.ExitCode ?? ReadState(record.Id).ExitCode;
        }
        catch (EngineException ex) when (ex.ErrorId is "MonitorGone" or "MonitorUnreachable")
        {
            return ReadState(record.Id).ExitCode;
        }
    }
}
