using System.Text;
using System.Text.Json;
using ContainerPS.Engine.Errors;
using ContainerPS.Runtime.Monitor;
using ContainerPS.Runtime.Spawning;

namespace ContainerPS.Engine.Containers;

/// <summary>
/// Starts a container's monitor: posix_spawn of the shim in a new session (it outlives this
/// shell), reads its one "ready" line, and reaps it when it exits while this process lives
/// (.NET reaps only the children it started through System.Diagnostics.Process).
/// </summary>
internal static class MonitorLauncher
{
    /// <param name="passFds">Descriptors the monitor inherits as fds 3, 4, … (published-port sockets it holds).</param>
    public static MonitorReady Start(string shimPath, string monitorConfigPath, TimeSpan timeout, IReadOnlyList<int>? passFds = null)
    {
        using var stdout = Pipe.Create();
        var devNull = File.OpenHandle("/dev/null", FileMode.Open, FileAccess.ReadWrite);
        int pid;
        try
        {
            var fd = (int)devNull.DangerousGetHandle();
            pid = Spawner.Spawn(new SpawnRequest
            {
                Path = ShimLocator.MonitorBeside(shimPath),
                Arguments = new[] { ShimLocator.MonitorFileName, "monitor", monitorConfigPath },
                Environment = new[] { "PATH=" + (Environment.GetEnvironmentVariable("PATH") ?? "/usr/sbin:/usr/bin:/sbin:/bin") },
                Descriptors = new[] { (0, fd), (1, stdout.WriteFd), (2, fd) }
                    .Concat((passFds ?? Array.Empty<int>()).Select((parent, i) => (3 + i, parent))).ToList(),
                NewSession = true,
            });
        }
        finally
        {
            devNull.Dispose();
            stdout.CloseWrite();
        }
        Reap(pid);

        using var reader = new StreamReader(stdout.TakeReader(), Encoding.UTF8);
        var read = reader.ReadLineAsync();
        if (!read.Wait(timeout))
            throw new EngineException(ErrorKind.Unavailable, "MonitorTimeout", $"the container monitor (pid {pid}) did not report within {timeout.TotalSeconds:0} s", monitorConfigPath);
        var line = read.Result;
        if (string.IsNullOrEmpty(line))
            throw new EngineException(ErrorKind.Internal, "MonitorFailed", $"the container monitor (pid {pid}) exited without reporting; see {Path.Combine(Path.GetDirectoryName(monitorConfigPath)!, "monitor.log")}", monitorConfigPath);
        return JsonSerializer.Deserialize(line, MonitorJsonContext.Default.MonitorReady)
            ?? throw new EngineException(ErrorKind.Internal, "MonitorFailed", "the container monitor sent an empty report", monitorConfigPath);
    }

    /// <summary>Waits for the monitor on a background thread so it never lingers as a zombie of this process.</summary>
    private static void Reap(int pid)
    {
        var t = new Thread(() =>
        {
            try { Spawner.Wait(pid); }
            catch (SpawnException) { }
        }, 64 * 1024) { IsBackground = true, Name = "reap-" + pid };
        t.Start();
    }
}
