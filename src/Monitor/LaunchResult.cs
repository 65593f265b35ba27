using ContainerPS.Runtime.Terminal;

namespace ContainerPS.Monitor;

/// <summary>
/// A container process the monitor started: its PID, the monitor's ends of its stdio, and
/// (built-in runtime) the sync pipes that hold it before exec until the monitor says go.
/// </summary>
public sealed class LaunchResult : IDisposable
{
    public int Pid { get; init; }
    public Stream? Stdin { get; set; }
    public Stream? Stdout { get; init; }
    public Stream? Stderr { get; init; }
    public Pty? Pty { get; init; }
    /// <summary>Monitor → init: one byte releases it (after cgroups and networking are set up).</summary>
    public Stream? Go { get; set; }
    /// <summary>Init → monitor: an error message before exec, or EOF when exec succeeded.</summary>
    public Stream? Errors { get; set; }
    /// <summary>External runtime (runc, crun): the file it writes the container's PID to once the container runs.</summary>
    public string? PidFile { get; init; }

    /// <summary>
    /// The container's PID 1 on the host. For the built-in runtime the process we spawned; for
    /// runc/crun the one named in their --pid-file (we spawned `runc run`, its parent).
    /// </summary>
    public int ContainerPid
    {
        get
        {
            if (PidFile is null) return Pid;
            try { return int.TryParse(File.ReadAllText(PidFile).Trim(), out var pid) && pid > 0 ? pid : Pid; }
            catch (IOException) { return Pid; }
        }
    }
    /// <summary>External runtime: its name, for messages.</summary>
    public string? Runtime { get; init; }

    public void Dispose()
    {
        Stdin?.Dispose();
        Stdout?.Dispose();
        Stderr?.Dispose();
        Pty?.Dispose();
        Go?.Dispose();
        Errors?.Dispose();
    }
}
