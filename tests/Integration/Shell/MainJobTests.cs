using ContainerPS.Tests.Integration.Harness;
using Xunit;

namespace ContainerPS.Tests.Integration.Shell;

/// <summary>
/// The README's main job (examples/main.ps1, what ./run.sh runs) in a store of its own: it
/// succeeds, shows what it promises, and leaves no container, network or namespace behind —
/// a leftover there would pile up with every run of ./run.sh in the default store.
/// </summary>
public sealed class MainJobTests : IDisposable
{
    private readonly TempDirectory _temp = new("cps-mainjob-");

    public void Dispose()
    {
        // Whatever a failed run left: its containers first (they hold mounts and namespaces).
        ShellProcess.Run(new[] { "-NoProfile", "-Command", "Get-Container -All | Remove-Container -Force; Get-ContainerNetwork | Where-Object Name -eq main-net | Remove-ContainerNetwork" },
            new Dictionary<string, string?> { ["CONTAINERPS_ROOT"] = Store });
        _temp.Dispose();
    }

    private string Store => Path.Combine(_temp.Path, "store");

    [Fact]
    public void The_main_job_runs_and_leaves_no_container_or_network()
    {
        var env = new Dictionary<string, string?> { ["CONTAINERPS_ROOT"] = Store };
        var script = Path.Combine(TestPaths.RepoRoot, "examples", "main.ps1");
        var run = ShellProcess.Run(new[] { "-NoProfile", "-File", script, "-ArchivePath", Path.Combine(_temp.Path, "busybox.tar") }, env, timeout: TimeSpan.FromMinutes(5));
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("exit code: 3", run.StandardOutput);
        Assert.Contains("served through a published port", run.StandardOutput);
        Assert.Contains("same image: True", run.StandardOutput);

        var left = ShellProcess.Run(new[] { "-NoProfile", "-Command", "@(Get-Container -All).Count; @(Get-ContainerNetwork | Where-Object Name -eq main-net).Count" }, env);
        Assert.True(left.ExitCode == 0, left.ToString());
        Assert.Equal(new[] { "0", "0" }, left.OutputLines);
    }
}
