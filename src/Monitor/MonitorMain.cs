using System.Text;
using ContainerPS.Runtime.Cgroups;
using ContainerPS.Runtime.Init;
using ContainerPS.Runtime.Monitor;
using ContainerPS.Runtime.Spawning;
using Microsoft.Win32.SafeHandles;

namespace ContainerPS.Monitor;

/// <summary>
/// The monitor process: reads monitor.json, sends the engine one "ready" line on stdout,
/// then detaches (stdout to /dev/null, stderr to containers/&lt;id&gt;/monitor.log) and runs the
/// container to its end.
/// </summary>
public static class MonitorMain
{
    /// <param name="early">
    /// Started before the container existed: monitor.json is read once stdin says "start"; what
    /// does not depend on it (the cgroup layout) is done meanwhile. End of file instead: the
    /// engine gave up on this start (the create failed); exit without a trace.
    /// </param>
    /// <param name="prelaunchNetwork">With <paramref name="early"/>: the init is started meanwhile too, in this network (<see cref="InitPrelaunch"/>).</param>
    public static int Run(string configPath, bool early, string? prelaunchNetwork)
    {
        // The init comes from containerps-shim, beside this binary (build.sh puts both in deps/).
        var self = File.ResolveLinkTarget("/proc/self/exe", returnFinalTarget: true)?.FullName ?? Environment.ProcessPath!;
        var shimPath = Path.Combine(Path.GetDirectoryName(self)!, "containerps-shim");
        CgroupInfo? cgroupLayout = null;
        InitPrelaunch? prelaunch = null;
        if (early)
        {
            // The container to be: monitor.json's directory is the container's, named by its ID.
            // The init first (its start-up is the longest), then what it needs is worked out.
            var dir = Path.GetDirectoryName(configPath)!;
            if (prelaunchNetwork is not null) prelaunch = InitPrelaunch.Start(shimPath, Path.Combine(dir, "bundle"), prelaunchNetwork);
            try { cgroupLayout = CgroupDetector.Detect(); }
            catch (Exception ex) when (ex is CgroupException or IOException) { } // detected (and reported) again below
            if (prelaunch is not null && cgroupLayout is not null)
                prelaunch.SetUp(new InitSetup { CgroupTaskFiles = CgroupManagerFactory.For(Path.GetFileName(dir), cgroupLayout).SelfJoinFiles });
            // (Without a layout the set-up never comes: TryTake finds it missing and ends the init.)
            if (ReadStartLine() != MonitorProtocol.StartLine)
            {
                prelaunch?.Dispose();
                return 0;
            }
        }
        using var unlessTaken = prelaunch; // a head start nobody took is ended on the way out

        MonitorConfig config;
        try
        {
            config = MonitorJson.ReadConfig(File.ReadAllBytes(configPath));
        }
        catch (Exception ex)
        {
            WriteReady(new MonitorReady { Ok = false, Error = $"{configPath}: {ex.Message}", ExitCode = 125 });
            return 1;
        }
        // The engine's word on the network, if any, is the next line; otherwise stdin is done.
        if (early && !config.WaitForNetwork) RedirectToDevNull(0);

        // Published-port sockets arrive as fds 3, 4, …: held here, never handed on to the container.
        for (var fd = 3; fd < 3 + config.PortFds; fd++) SpawnNative.fcntl(fd, SpawnNative.F_SETFD, SpawnNative.FD_CLOEXEC);
        RedirectStderr(Path.Combine(config.ContainerDir, "monitor.log"));
        ICgroupManager? cgroup = null;
        CgroupResources? resources = null;
        if (config.Runtime is "builtin" or "")
        {
            try
            {
                (cgroup, resources) = MonitorCgroups.For(config, cgroupLayout);
            }
            catch (Exception ex)
            {
                WriteReady(new MonitorReady { Ok = false, Error = "cgroups: " + ex.Message, ExitCode = 125 });
                return 1;
            }
        }

        var monitor = new ContainerMonitor(config, shimPath, cgroup, resources, prelaunch);
        return monitor.Run(ready =>
        {
            WriteReady(ready);
            DetachStdout();
        });
    }

    /// <summary>The engine's go-ahead for an early start: the first line on stdin; null at end of file.</summary>
    /// <remarks>No real time limit: the engine's end closes when it gives up or ends.</remarks>
    private static string? ReadStartLine() => ReadStdinLine(TimeSpan.FromDays(1));

    /// <summary>
    /// One line from the engine on stdin; null at end of file, on an error or after
    /// <paramref name="timeout"/>. Byte by byte: the next line (the network's word) stays for later.
    /// </summary>
    internal static string? ReadStdinLine(TimeSpan timeout)
    {
        try
        {
            using var stdin = new FileStream(new SafeFileHandle(0, ownsHandle: false), FileAccess.Read, 1);
            return PipeLineReader.ReadLine(stdin, timeout);
        }
        catch (Exception ex) when (ex is IOException or TimeoutException)
        {
            return null;
        }
    }

    private static void WriteReady(MonitorReady ready)
    {
        var json = Encoding.UTF8.GetString(MonitorJson.Write(ready)) + "\n";
        using var stdout = new FileStream(new SafeFileHandle(1, ownsHandle: false), FileAccess.Write, 1);
        try
        {
            stdout.Write(Encoding.UTF8.GetBytes(json));
        }
        catch (IOException)
        {
            // The engine stopped listening; the state file still says what happened.
        }
    }

    /// <summary>The engine reads our stdout only until "ready": afterwards nothing may block on it.</summary>
    private static void DetachStdout() => RedirectToDevNull(1);

    /// <summary>Points descriptor <paramref name="fd"/> at /dev/null (an engine pipe we are done with goes).</summary>
    internal static void RedirectToDevNull(int fd)
    {
        var handle = File.OpenHandle("/dev/null", FileMode.Open, FileAccess.ReadWrite);
        SpawnNative.dup2((int)handle.DangerousGetHandle(), fd);
        handle.Dispose();
    }

    private static void RedirectStderr(string path)
    {
        try
        {
            var handle = File.OpenHandle(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite);
            SpawnNative.dup2((int)handle.DangerousGetHandle(), 2);
            handle.Dispose();
        }
        catch (IOException)
        {
        }
    }
}
