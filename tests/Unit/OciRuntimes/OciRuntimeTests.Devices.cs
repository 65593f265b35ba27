using System.Text;
using ContainerPS.Engine.Containers;
using ContainerPS.Runtime.Monitor;

namespace ContainerPS.Tests.Unit.OciRuntimes;

/// <summary>
/// Device access: the container keeps CAP_MKNOD (Docker's default set) and so can make a node
/// for any device, but the device cgroup (deny all, then Docker's and runc's allow list) refuses
/// to open anything beyond the standard devices, ttys and tun — under all three runtimes, for
/// the container's processes and for exec'd ones. Only reads are ever tried on the host's disk.
/// </summary>
public sealed partial class OciRuntimeTests
{
    /// <summary>Reads one byte of each node, one line per node: "&lt;node&gt; ok" or "&lt;node&gt; &lt;error&gt;".</summary>
    private const string ReadEach =
        "for d in \"$@\"; do if head -c 1 \"$d\" >/dev/null 2>/e; then echo \"$d ok\"; else echo \"$d $(cat /e)\"; fi; done";

    [Theory]
    [InstalledRuntime("builtin")]
    [InstalledRuntime("runc")]
    [InstalledRuntime("crun")]
    public async Task Host_devices_cannot_be_opened_even_after_mknod(string runtime)
    {
        var (major, minor) = HostRootDisk();
        using var scope = new RuntimeScope(_containers, runtime);
        var c = scope.Run("sh", "-c",
            $"mknod /disk b {major} {minor} && mknod /loop b 7 0 && mknod /mem c 1 1 && echo made; " +
            $"set -- /disk /loop /mem /dev/null /dev/zero /dev/urandom /dev/full; {ReadEach}; " +
            "echo x > /dev/null && echo wrote-null; sleep 1000");
        var lines = await LogLinesUntil(c.Id, l => l.StartsWith("wrote-null", StringComparison.Ordinal));
        var all = string.Join("\n", lines);

        Assert.True(lines.Contains("made"), $"{runtime}: mknod failed (CAP_MKNOD and 'm' on every device are Docker's defaults):\n{all}");
        // Where the host itself may open its disk, this line alone proves the rule; on a host that
        // refuses even root (this VM), /loop and /mem do: unrestricted, the first opens and the
        // second fails with ENXIO ("No such device or address"), not EPERM.
        foreach (var denied in new[] { "/disk", "/loop", "/mem" })
            Assert.Matches($"^{denied} .*Operation not permitted", lines.Single(l => l.StartsWith(denied + " ", StringComparison.Ordinal)));
        foreach (var allowed in new[] { "/dev/null", "/dev/zero", "/dev/urandom", "/dev/full" })
            Assert.True(lines.Contains(allowed + " ok"), $"{runtime}: {allowed} not readable:\n{all}");

        // An exec'd process is in the same cgroup: the same verdicts (exec is built-in only so far).
        if (runtime != "builtin")
        {
            await _containers.RemoveAsync(c.Id, force: true, CancellationToken.None);
            AssertNothingLeft(runtime, c.Id);
            return;
        }
        var (code, stdout, stderr) = await ExecIn(c.Id, "sh", "-c", $"set -- /disk /loop /mem /dev/zero; {ReadEach}");
        Assert.True(code == 0, $"{runtime}: exec exit {code}: {stderr}");
        var execLines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(4, execLines.Length);
        Assert.All(execLines[..3], l => Assert.Matches("^/(disk|loop|mem) .*Operation not permitted", l));
        Assert.Equal("/dev/zero ok", execLines[3]);

        await _containers.RemoveAsync(c.Id, force: true, CancellationToken.None);
        AssertNothingLeft(runtime, c.Id);
    }

    [Theory]
    [InstalledRuntime("builtin")]
    [InstalledRuntime("runc")]
    [InstalledRuntime("crun")]
    public async Task With_a_tty_the_terminal_dev_tty_and_a_new_pty_work(string runtime)
    {
        using var scope = new RuntimeScope(_containers, runtime);
        // The terminal is a pty slave (major 136: the host's devpts for the built-in runtime, the
        // container's own for runc/crun), reopened here through /proc; /dev/ptmx (5:2) makes a new pty.
        var c = scope.Create(tty: true, "sh", "-c",
            "[ -t 0 ] && echo stdin-is-a-tty; echo via-dev-tty > /dev/tty && " +
            "echo via-reopened-terminal > /proc/self/fd/2 && exec 3<>/dev/ptmx && echo ptmx-opened");
        _containers.Start(c.Id);
        Assert.Equal(0, await _containers.WaitAsync(c.Id, CancellationToken.None));
        var lines = (await Logs(c.Id)).SelectMany(l => l.Split('\n')).Select(l => l.TrimEnd('\r')).Where(l => l.Length > 0).ToList();
        var all = string.Join("\n", lines);

        Assert.True(new[] { "stdin-is-a-tty", "via-dev-tty", "via-reopened-terminal", "ptmx-opened" }.All(lines.Contains), $"{runtime}:\n{all}");
        Assert.DoesNotContain("not permitted", all);

        await _containers.RemoveAsync(c.Id, force: false, CancellationToken.None);
        AssertNothingLeft(runtime, c.Id);
    }

    /// <summary>major:minor of the block device holding the host's root file system (e.g. 254:0 for /dev/vda).</summary>
    private static (int Major, int Minor) HostRootDisk()
    {
        var root = File.ReadAllLines("/proc/self/mountinfo").Select(l => l.Split(' ')).First(f => f[4] == "/")[2].Split(':');
        var (major, minor) = (int.Parse(root[0]), int.Parse(root[1]));
        if (major != 0) return (major, minor);
        // The root is a virtual file system (overlay, tmpfs): any real block device will do.
        var any = Directory.EnumerateFileSystemEntries("/sys/dev/block").Select(Path.GetFileName).Select(n => n!.Split(':'))
            .Select(p => (int.Parse(p[0]), int.Parse(p[1]))).First(d => d.Item1 != 7);
        return any;
    }

    private async Task<List<string>> LogLinesUntil(string id, Func<string, bool> last)
    {
        for (var i = 0; i < 200; i++)
        {
            var lines = await Logs(id);
            if (lines.Any(last) || _containers.Get(id).State != ContainerStatus.Running) return lines;
            await Task.Delay(50);
        }
        return await Logs(id);
    }

    private async Task<(int Code, string Stdout, string Stderr)> ExecIn(string id, params string[] command)
    {
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        var code = await _containers.ExecAsync(id, new ExecOptions { Command = command }, new AttachStreams
        {
            Output = (stream, data) =>
            {
                lock (stdout) (stream == "stdout" ? stdout : stderr).Append(Encoding.UTF8.GetString(data.Span));
            },
        }, CancellationToken.None);
        return (code, stdout.ToString(), stderr.ToString());
    }
}
