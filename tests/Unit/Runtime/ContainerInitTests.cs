using ContainerPS.Runtime.Init;
using ContainerPS.Runtime.Linux.Recording;
using static ContainerPS.Tests.Unit.Runtime.RecordingFixtures;

namespace ContainerPS.Tests.Unit.Runtime;

public sealed class ContainerInitTests
{
    [Fact]
    public void Run_sets_up_the_rootfs_then_the_process_and_ends_in_execve()
    {
        var sys = NewSys().AddFile(Root + "/bin/sh", 0x1ED).AddDirectory(Root + "/work");
        ContainerInit.Run(new InitRequest(
            new RootfsRequest { RootfsPath = Root, Mounts = DockerMounts, Hostname = "c1", ReadonlyRoot = true },
            new ProcessRequest { Args = ["sh"], Env = ["PATH=/bin"], Cwd = "/work", Uid = 1, Gid = 1 }), sys);
        var lines = sys.Lines.ToList();
        Assert.True(lines.IndexOf("pivot_root . .") < lines.IndexOf("sethostname c1"));
        Assert.True(lines.IndexOf("mount none / none MS_RDONLY|MS_REMOUNT|MS_BIND") < lines.IndexOf("setresuid 1 1 1"));
        Assert.Equal("execve /bin/sh [sh]", lines[^1]);
    }

    [Fact]
    public void Bad_process_arguments_fail_before_anything_is_mounted()
    {
        var sys = NewSys();
        Assert.Throws<ContainerInitException>(() => ContainerInit.Run(new InitRequest(
            new RootfsRequest { RootfsPath = Root, Mounts = DockerMounts },
            new ProcessRequest { Args = [] }), sys));
        Assert.Empty(sys.Calls);
    }

    [Fact]
    public void A_missing_entrypoint_is_reported_after_setup_without_execve()
    {
        var sys = NewSys();
        var e = Assert.Throws<ContainerInitException>(() => ContainerInit.Run(new InitRequest(
            new RootfsRequest { RootfsPath = Root },
            new ProcessRequest { Args = ["nginx"], Env = ["PATH=/usr/sbin:/bin"] }), sys));
        Assert.Equal("exec: \"nginx\": executable file not found in $PATH", e.Message);
        Assert.DoesNotContain(sys.Calls, c => c is ExecveCall);
    }
}
