using ContainerPS.Runtime.Monitor;
using ContainerPS.Runtime.Spawning;

namespace ContainerPS.Engine.Containers;

/// <summary>
/// Starts a container's monitor: posix_spawn of the shim in a new session (it outlives this
/// shell), reads its one "ready" line, and reaps it when it exits while this process lives
/// (.NET reaps only the children it started through System.Diagnostics.Process; one
/// <see cref="ChildReaper"/> thread does it for every monitor).
/// </summary>
internal static class MonitorLauncher
{
    /// <param name="passFds">Descriptors the monitor inherits as fds 3, 4, … (published-port sockets it holds).</param>
    /// <param name="networkPipe">
    /// Give the monitor a pipe as stdin for the engine's word on the network
    /// (<see cref="MonitorConfig.WaitForNetwork"/>); otherwise its stdin is /dev/null.
    /// </param>
    public static MonitorStart Spawn(string shimPath, string monitorConfigPath, IReadOnlyList<int>? passFds = null, bool networkPipe = false) =>
        SpawnCore(shimPath, monitorConfigPath, passFds, networkPipe, early: false);

    /// <summary>
    /// A monitor started before its container exists (<c>monitor &lt;monitor.json&gt; early</c>,
    /// the path of the container-to-be): its process start-up runs while the engine creates the
    /// container, and it reads monitor.json only once stdin says so
    /// (<see cref="MonitorStart.Configure"/>); end of file instead makes it exit without a
    /// trace. No published-port sockets: those are handed over at the spawn.
    /// </summary>
    /// <param name="prelaunchNetwork">
    /// It starts the container's init meanwhile too, in this network ("own" or "host"): built-in
    /// runtime, no terminal, no open stdin. Null: it does not.
    /// </param>
    public static MonitorStart SpawnEarly(string shimPath, string monitorConfigPath, string? prelaunchNetwork) =>
        SpawnCore(shimPath, monitorConfigPath, null, stdinPipe: true, early: true, prelaunchNetwork);

    private static MonitorStart SpawnCore(string shimPath, string monitorConfigPath, IReadOnlyList<int>? passFds, bool stdinPipe, bool early, string? prelaunchNetwork = null)
    {
        var stdout = Pipe.Create();
        var stdin = stdinPipe ? Pipe.Create() : null;
        var devNull = File.OpenHandle("/dev/null", FileMode.Open, FileAccess.ReadWrite);
        int pid;
        try
        {
            var fd = (int)devNull.DangerousGetHandle();
            pid = Spawner.Spawn(new SpawnRequest
            {
                Path = ShimLocator.MonitorBeside(shimPath),
                Arguments = [ShimLocator.MonitorFileName, "monitor", monitorConfigPath,
                    .. early ? [MonitorProtocol.EarlyArgument] : Array.Empty<string>(),
                    .. early && prelaunchNetwork is not null ? [MonitorProtocol.PrelaunchArgument, prelaunchNetwork] : Array.Empty<string>()],
                Environment = new[] { "PATH=" + (Environment.GetEnvironmentVariable("PATH") ?? "/usr/sbin:/usr/bin:/sbin:/bin") },
                Descriptors = new[] { (0, stdin?.ReadFd ?? fd), (1, stdout.WriteFd), (2, fd) }
                    .Concat((passFds ?? Array.Empty<int>()).Select((parent, i) => (3 + i, parent))).ToList(),
                NewSession = true,
            });
        }
        catch
        {
            stdout.Dispose();
            stdin?.Dispose();
            throw;
        }
        finally
        {
            devNull.Dispose();
            stdout.CloseWrite();
            stdin?.CloseRead();
        }
        Reap(pid);
        return new MonitorStart(pid, monitorConfigPath, stdout.TakeReader(), stdin?.TakeWriter(), early);
    }

    /// <summary>The monitor never lingers as a zombie of this process (.NET reaps only the children it started through Process).</summary>
    private static void Reap(int pid) => ChildReaper.Add(pid);
}
