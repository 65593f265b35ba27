using System.Runtime.InteropServices;
using System.Text;
using ContainerPS.Runtime.Monitor;
using ContainerPS.Runtime.Spawning;
using ContainerPS.Runtime.Terminal;
using Microsoft.Win32.SafeHandles;

namespace ContainerPS.Shim.Monitor;

/// <summary>
/// Starts a container's process. The built-in runtime: a dedicated thread unshares the
/// container's namespaces, mounts the rootfs in the new (private) mount namespace — no mount
/// is ever visible on the host, and it disappears with the container — and posix_spawns this
/// same binary in init mode as PID 1, held before exec on a sync pipe. With an external OCI
/// runtime (runc, crun) the thread unshares only a mount namespace for the rootfs mount and
/// runs `&lt;runtime&gt; run` on the same bundle.
/// </summary>
public static class ContainerLauncher
{
    private const int CLONE_NEWNS = 0x00020000, CLONE_NEWUTS = 0x04000000, CLONE_NEWIPC = 0x08000000,
        CLONE_NEWPID = 0x20000000, CLONE_NEWNET = 0x40000000;

    public static LaunchResult Launch(MonitorConfig config, string shimPath)
    {
        Pty? pty = null;
        Pipe? stdin = null, stdout = null, stderr = null, go = null, errors = null;
        var devNull = -1;
        try
        {
            var descriptors = new List<(int, int)>();
            if (config.Tty)
            {
                pty = Pty.Open();
                descriptors.AddRange(new[] { (0, pty.Slave), (1, pty.Slave), (2, pty.Slave) });
            }
            else
            {
                if (config.OpenStdin)
                {
                    stdin = Pipe.Create();
                    descriptors.Add((0, stdin.ReadFd));
                }
                else
                {
                    devNull = OpenDevNull();
                    descriptors.Add((0, devNull));
                }
                stdout = Pipe.Create();
                stderr = Pipe.Create();
                descriptors.Add((1, stdout.WriteFd));
                descriptors.Add((2, stderr.WriteFd));
            }

            var rootfs = Path.Combine(config.Bundle, "rootfs");
            int pid;
            if (config.Runtime is "builtin" or "")
            {
                go = Pipe.Create();
                errors = Pipe.Create();
                descriptors.Add((3, go.ReadFd));
                descriptors.Add((4, errors.WriteFd));
                var flags = CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWPID | (config.NetnsPath is null ? CLONE_NEWNET : 0);
                pid = Spawner.RunInNewNamespaces(flags, () =>
                {
                    MountRootfs(config.Rootfs, rootfs);
                    return Spawner.Spawn(new SpawnRequest
                    {
                        Path = shimPath,
                        Arguments = new[] { "containerps-shim", "init", config.Bundle, config.Tty ? "tty" : "notty" },
                        Environment = Array.Empty<string>(),
                        Descriptors = descriptors,
                    });
                });
            }
            else
            {
                var runtime = FindOnPath(config.Runtime) ?? throw new InvalidOperationException($"OCI runtime \"{config.Runtime}\" not found on PATH (apt-get install {config.Runtime})");
                pid = Spawner.RunInNewNamespaces(CLONE_NEWNS, () =>
                {
                    MountRootfs(config.Rootfs, rootfs);
                    return Spawner.Spawn(new SpawnRequest
                    {
                        Path = runtime,
                        Arguments = new[] { config.Runtime, "--root", "/run/containerps/" + config.Runtime, "run", "--bundle", config.Bundle, config.Id },
                        Environment = new[] { "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" },
                        Descriptors = descriptors,
                    });
                });
            }

            // The child has its copies; the monitor keeps only its own ends.
            pty?.CloseSlave();
            stdin?.CloseRead();
            stdout?.CloseWrite();
            stderr?.CloseWrite();
            go?.CloseRead();
            errors?.CloseWrite();
            if (devNull >= 0) SpawnNative.close(devNull);

            return new LaunchResult
            {
                Pid = pid,
                Pty = pty,
                Stdin = stdin?.TakeWriter(),
                Stdout = stdout?.TakeReader(),
                Stderr = stderr?.TakeReader(),
                Go = go?.TakeWriter(),
                Errors = errors?.TakeReader(),
            };
        }
        catch
        {
            pty?.Dispose();
            stdin?.Dispose();
            stdout?.Dispose();
            stderr?.Dispose();
            go?.Dispose();
            errors?.Dispose();
            if (devNull >= 0) SpawnNative.close(devNull);
            throw;
        }
    }

    /// <summary>
    /// Releases the init (one byte on the go pipe) and waits for the verdict: EOF means the
    /// entrypoint was exec'ed; text is the init's error ("127 exec: \"x\": executable file
    /// not found in $PATH"), returned with the exit code Docker reports for it.
    /// </summary>
    public static (bool Ok, int ExitCode, string? Error) Release(LaunchResult launch)
    {
        if (launch.Go is null) return (true, 0, null);
        try
        {
            launch.Go.WriteByte(1);
            launch.Go.Flush();
        }
        catch (IOException)
        {
            // The init died before reading: its error (if any) is on the error pipe.
        }
        launch.Go.Dispose();
        launch.Go = null;
        using var reader = new StreamReader(launch.Errors!, Encoding.UTF8);
        var message = reader.ReadToEnd();
        launch.Errors = null;
        if (message.Length == 0) return (true, 0, null);
        var space = message.IndexOf(' ');
        if (space > 0 && int.TryParse(message.AsSpan(0, space), out var code)) return (false, code, message[(space + 1)..].Trim());
        return (false, 127, message.Trim());
    }

    private static void MountRootfs(MountDescription rootfs, string target)
    {
        // Nothing mounted from here on may propagate back to the host.
        if (SpawnNative.mount(null, "/", null, SpawnNative.MS_REC | SpawnNative.MS_PRIVATE, null) != 0)
            throw Error("mount --make-rprivate", "/");
        if (rootfs.WorkingDirectory is { } cwd && SpawnNative.chdir(cwd) != 0) throw Error("chdir", cwd);
        if (SpawnNative.mount(rootfs.Source, target, rootfs.Type, 0, rootfs.Data) != 0)
            throw Error($"mount {rootfs.Type} on", target);
    }

    private static int OpenDevNull()
    {
        var handle = File.OpenHandle("/dev/null", FileMode.Open, FileAccess.ReadWrite);
        var fd = (int)handle.DangerousGetHandle();
        handle.SetHandleAsInvalid(); // ownership moves to the raw fd
        return fd;
    }

    internal static string? FindOnPath(string name)
    {
        if (name.Contains('/')) return File.Exists(name) ? name : null;
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin").Split(':'))
        {
            var candidate = Path.Combine(dir, name);
            if (File.Exists(candidate)) return candidate;
        }
        return null;
    }

    private static IOException Error(string call, string path)
    {
        var errno = Marshal.GetLastPInvokeError();
        return new IOException($"{call} {path}: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno})");
    }
}
