using System.Runtime.InteropServices;
using System.Text;
using ContainerPS.Runtime.Terminal;
using Microsoft.Win32.SafeHandles;

namespace ContainerPS.Runtime.Spawning;

/// <summary>
/// What the monitor's `&lt;runtime&gt; run` and the engine's `&lt;runtime&gt; exec` share for runc and
/// crun: where their state lives, how they are found and started, and how a start is told from
/// a failure — neither returns before the process ends, so "started" is the PID file they write
/// once it runs, and an exit without one is a start error, read from what they wrote.
/// </summary>
public static class OciRuntimeProcess
{
    /// <summary>The runtime's --root: one per runtime, shared by every store on the machine (container IDs are unique).</summary>
    public static string StateRoot(string runtime) => "/run/containerps/" + runtime;

    /// <summary>The environment the runtime runs with (it finds nothing else on PATH it needs).</summary>
    public static IReadOnlyList<string> Environment { get; } = new[] { "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" };

    /// <summary>How long a runtime may take to start a process (the engine waits 60 s for a container's "ready").</summary>
    public static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(50);

    /// <summary>The runtime's path: <paramref name="name"/> itself when it has a '/', else the first match on PATH.</summary>
    public static string? Find(string name)
    {
        if (name.Contains('/')) return File.Exists(name) ? name : null;
        foreach (var dir in (System.Environment.GetEnvironmentVariable("PATH") ?? "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin").Split(':'))
        {
            var candidate = Path.Combine(dir, name);
            if (File.Exists(candidate)) return candidate;
        }
        return null;
    }

    /// <summary>
    /// Waits until the runtime (our child <paramref name="runtimePid"/>) has written
    /// <paramref name="pidFile"/> — started — or has exited without it: then its error (on
    /// <paramref name="stderr"/>, or the <paramref name="pty"/> it was given) is the start error,
    /// with Docker's exit code for it. The runtime is not reaped (waitid WNOWAIT): the caller
    /// waits for it as for the process itself.
    /// </summary>
    public static (bool Ok, int ExitCode, string? Error) AwaitStart(string runtime, int runtimePid, string pidFile, Stream? stderr, Pty? pty)
    {
        var deadline = DateTime.UtcNow + StartTimeout;
        while (true)
        {
            if (PidWritten(pidFile)) return (true, 0, null);
            if (Exited(runtimePid))
            {
                if (PidWritten(pidFile)) return (true, 0, null); // started, and already ended
                var message = ErrorText(stderr, pty);
                if (message.Length == 0) message = $"{runtime} exited without starting the process";
                return (false, DockerExitCodeFor(message), message);
            }
            if (DateTime.UtcNow > deadline)
            {
                SpawnNative.kill(runtimePid, 9);
                return (false, 125, $"{runtime} did not start the process within {StartTimeout.TotalSeconds:0} s");
            }
            Thread.Sleep(1);
        }
    }

    /// <summary>The PID in the runtime's PID file (the process as the host sees it); 0 while there is none.</summary>
    public static int ReadPid(string pidFile)
    {
        try { return int.TryParse(File.ReadAllText(pidFile).Trim(), out var pid) && pid > 0 ? pid : 0; }
        catch (IOException) { return 0; }
    }

    private static bool PidWritten(string path)
    {
        try { return new FileInfo(path) is { Exists: true, Length: > 0 }; }
        catch (IOException) { return false; }
    }

    /// <summary>Whether the child has exited, leaving it waitable (waitid with WNOWAIT).</summary>
    private static unsafe bool Exited(int pid)
    {
        const int P_PID = 1, WNOHANG = 1, WEXITED = 4, WNOWAIT = 0x01000000;
        var info = stackalloc byte[128]; // siginfo_t
        new Span<byte>(info, 128).Clear();
        if (SpawnNative.waitid(P_PID, pid, info, WEXITED | WNOHANG | WNOWAIT) != 0) return Marshal.GetLastPInvokeError() == 10; // ECHILD: gone
        return *(int*)(info + 16) == pid; // si_pid: 0 while the child runs
    }

    /// <summary>What the runtime wrote before it exited (it has, so the stream is at EOF soon), without logrus decoration.</summary>
    private static string ErrorText(Stream? stderr, Pty? pty)
    {
        var source = pty is not null ? new FileStream(new SafeFileHandle(pty.Master, ownsHandle: false), FileAccess.Read, 1) : stderr;
        if (source is null) return "";
        var read = Task.Run(() =>
        {
            var text = new StringBuilder();
            var buffer = new byte[4096];
            try
            {
                int n;
                while ((n = source.Read(buffer, 0, buffer.Length)) > 0) text.Append(Encoding.UTF8.GetString(buffer, 0, n));
            }
            catch (IOException)
            {
                // A pty master reads EIO once the last slave is closed.
            }
            return text.ToString();
        });
        var output = read.Wait(TimeSpan.FromSeconds(2)) ? read.Result : "";
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line =>
            {
                // runc: time="..." level=error msg="runc run failed: ..."
                var at = line.IndexOf("msg=\"", StringComparison.Ordinal);
                if (at < 0) return line;
                var msg = line[(at + 5)..];
                if (msg.EndsWith('"')) msg = msg[..^1];
                return msg.Replace("\\\"", "\"", StringComparison.Ordinal);
            });
        return string.Join("\n", lines);
    }

    /// <summary>Docker's exit codes for a start failure (moby daemon/start.go): 127 not found, 126 not executable, else 125.</summary>
    private static int DockerExitCodeFor(string message)
    {
        if (message.Contains("executable file not found", StringComparison.OrdinalIgnoreCase) ||
            message.Contains("no such file or directory", StringComparison.OrdinalIgnoreCase)) return 127;
        if (message.Contains("permission denied", StringComparison.OrdinalIgnoreCase)) return 126;
        return 125;
    }
}
