using System.Text;
using ContainerPS.Runtime.Spawning;

namespace ContainerPS.Tests.Unit.Spawning;

/// <summary>
/// The process model's core trick, for real: a dedicated thread unshares namespaces and
/// posix_spawns; the child is PID 1 of a new PID namespace with its own hostname, while the
/// test process itself is unaffected.
/// </summary>
public sealed unsafe class SpawnerTests
{
    private const int CLONE_NEWNS = 0x00020000, CLONE_NEWUTS = 0x04000000, CLONE_NEWIPC = 0x08000000,
        CLONE_NEWPID = 0x20000000, CLONE_NEWNET = 0x40000000;

    private static (int Status, string Output) Run(int unshareFlags, params string[] args)
    {
        var fds = stackalloc int[2];
        Assert.Equal(0, SpawnNative.pipe2(fds, 0x80000)); // O_CLOEXEC: only the dup2'ed copy reaches the child
        int pid;
        try
        {
            var request = new SpawnRequest
            {
                Path = "/bin/busybox",
                Arguments = args,
                Environment = new[] { "PATH=/bin:/usr/bin" },
                Descriptors = new[] { (1, fds[1]), (2, fds[1]) },
            };
            pid = unshareFlags == 0 ? Spawner.Spawn(request) : Spawner.RunInNewNamespaces(unshareFlags, () => Spawner.Spawn(request));
        }
        finally
        {
            SpawnNative.close(fds[1]);
        }
        var output = new MemoryStream();
        var buffer = new byte[4096];
        fixed (byte* b = buffer)
        {
            nint n;
            while ((n = SpawnNative.read(fds[0], b, buffer.Length)) > 0) output.Write(buffer, 0, (int)n);
        }
        SpawnNative.close(fds[0]);
        return (Spawner.Wait(pid), Encoding.UTF8.GetString(output.ToArray()));
    }

    [Fact]
    public void A_child_spawned_after_unshare_is_pid_1_of_a_new_pid_namespace_with_its_own_hostname()
    {
        var hostBefore = File.ReadAllText("/proc/sys/kernel/hostname");
        var (status, output) = Run(CLONE_NEWPID | CLONE_NEWUTS | CLONE_NEWNS | CLONE_NEWIPC | CLONE_NEWNET,
            "sh", "-c", "echo pid=$$; hostname isolated-test; hostname; tail -n +3 /proc/net/dev | cut -d: -f1 | tr -d ' '");
        Assert.True(new WaitStatus(status).Exited, output);
        Assert.Equal(0, new WaitStatus(status).ExitCode);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("pid=1", lines[0]);
        Assert.Equal("isolated-test", lines[1]);
        Assert.Equal("lo", lines[2]); // a new network namespace has only loopback
        Assert.Equal(hostBefore, File.ReadAllText("/proc/sys/kernel/hostname"));
    }

    [Fact]
    public void Exit_codes_and_signals_are_reported_like_a_shell()
    {
        Assert.Equal(3, new WaitStatus(Run(0, "sh", "-c", "exit 3").Status).ShellExitCode);
        var killed = new WaitStatus(Run(0, "sh", "-c", "kill -9 $$").Status);
        Assert.True(killed.Signaled);
        Assert.Equal(137, killed.ShellExitCode);
    }

    [Fact]
    public void A_missing_program_is_reported_with_its_path()
    {
        var ex = Assert.Throws<SpawnException>(() => Spawner.Spawn(new SpawnRequest { Path = "/nonexistent/prog", Arguments = new[] { "prog" } }));
        Assert.Contains("/nonexistent/prog", ex.Message);
        Assert.Equal(2, ex.Errno);
    }
}
