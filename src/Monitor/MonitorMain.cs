using System.Text;
using ContainerPS.Runtime.Cgroups;
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
    public static int Run(string configPath)
    {
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

        // Published-port sockets arrive as fds 3, 4, …: held here, never handed on to the container.
        for (var fd = 3; fd < 3 + config.PortFds; fd++) SpawnNative.fcntl(fd, SpawnNative.F_SETFD, SpawnNative.FD_CLOEXEC);
        RedirectStderr(Path.Combine(config.ContainerDir, "monitor.log"));
        // The init comes from containerps-shim, beside this binary (build.sh puts both in deps/).
        var self = File.ResolveLinkTarget("/proc/self/exe", returnFinalTarget: true)?.FullName ?? Environment.ProcessPath!;
        var shimPath = Path.Combine(Path.GetDirectoryName(self)!, "containerps-shim");
        ICgroupManager? cgroup = null;
        CgroupResources? resources = null;
        if (config.Runtime is "builtin" or "")
        {
            try
            {
                (cgroup, resources) = MonitorCgroups.For(config);
            }
            catch (Exception ex)
            {
                WriteReady(new MonitorReady { Ok = false, Error = "cgroups: " + ex.Message, ExitCode = 125 });
                return 1;
            }
        }

        var monitor = new ContainerMonitor(config, shimPath, cgroup, resources);
        return monitor.Run(ready =>
        {
            WriteReady(ready);
            DetachStdout();
        });
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
