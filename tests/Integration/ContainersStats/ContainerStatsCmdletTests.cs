using System.Diagnostics;
using System.Management.Automation;
using ContainerPS.Tests.Integration.Harness;
using ContainerPS.Tests.Integration.Images;
using Xunit;

namespace ContainerPS.Tests.Integration.ContainersStats;

/// <summary>
/// Get-ContainerProcess (docker top) and Get-ContainerStats (docker stats --no-stream) on real
/// busybox containers through the built module. In the image tests' collection:
/// $env:CONTAINERPS_ROOT is process-wide. Each test removes its containers, also on failure.
/// </summary>
[Collection(ImagesCollection.Name)]
public sealed class ContainerStatsCmdletTests : IClassFixture<StatsSession>, IDisposable
{
    private readonly StatsSession _s;

    public ContainerStatsCmdletTests(StatsSession session)
    {
        _s = session;
        _s.RemoveAll();
    }

    public void Dispose() => _s.RemoveAll();

    private static T Prop<T>(PSObject o, string name) => (T)o.Properties[name].Value;

    private static string Text(IEnumerable<PSObject> output) => string.Join("\n", output.Select(o => o?.ToString() ?? ""));

    private PSObject StartDetached(string name, string command, string extra = "") =>
        Assert.Single(_s.RunOk($"Start-Container busybox -Name {name} -Detach {extra} -- sh -c '{command}'"));

    private void WaitForProcessCount(string name, int count)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(5))
        {
            if (_s.RunOk("@(Get-ContainerProcess $n).Count", ("n", name))[0].BaseObject is int n && n == count) return;
            Thread.Sleep(50);
        }
        Assert.Fail($"{name} did not reach {count} processes");
    }

    [Fact]
    public void GetContainerProcess_ListsTheContainersProcesses_WithHostPids()
    {
        var c = StartDetached("top-procs", "sleep 300 & sleep 301 & wait");
        WaitForProcessCount("top-procs", 3);
        // The children exist a moment before they exec sleep (forked shells until then).
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(5) &&
               _s.RunOk("@(Get-ContainerProcess top-procs | Where-Object Command -like 'sleep *').Count")[0].BaseObject is int n && n < 2)
            Thread.Sleep(50);

        var processes = _s.RunOk("Get-ContainerProcess top-procs");
        Assert.Equal(3, processes.Count);
        Assert.All(processes, p => Assert.Equal("ContainerPS.Engine.Containers.Stats.ContainerProcess", p.BaseObject.GetType().FullName));
        var init = processes[0];
        Assert.Equal(Prop<int>(c, "Pid"), Prop<int>(init, "Pid"));
        Assert.Equal("sh -c sleep 300 & sleep 301 & wait", Prop<string>(init, "Command"));
        Assert.Equal("root", Prop<string>(init, "User"));
        Assert.Equal("top-procs", Prop<string>(init, "ContainerName"));
        Assert.Equal(new[] { "sleep 300", "sleep 301" }, processes.Skip(1).Select(p => Prop<string>(p, "Command")).Order());
        Assert.All(processes.Skip(1), p => Assert.Equal(Prop<int>(init, "Pid"), Prop<int>(p, "ParentPid")));
    }

    [Fact]
    public void GetContainerProcess_TakesContainersFromThePipeline_AndIds()
    {
        // Exec form: with sh -c the command reads "sh -c sleep 300" until busybox sh execs sleep.
        var c = Assert.Single(_s.RunOk("Start-Container busybox -Name top-pipe -Detach -- sleep 300"));
        var id = Prop<string>(c, "Id");
        Assert.Equal("sleep 300", Prop<string>(Assert.Single(_s.RunOk("Get-Container top-pipe | Get-ContainerProcess")), "Command"));
        Assert.Equal("sleep 300", Prop<string>(Assert.Single(_s.RunOk("Get-ContainerProcess -Id $id", ("id", id[..8]))), "Command"));
        Assert.Equal("sleep 300", Prop<string>(Assert.Single(_s.RunOk("'top-p*' | Get-ContainerProcess")), "Command"));
    }

    [Fact]
    public void GetContainerProcess_TableHasDockerTopColumns()
    {
        StartDetached("top-table", "sleep 300");
        var table = Text(_s.RunOk("Get-ContainerProcess top-table | Out-String -Width 200"));
        var header = table.Split('\n').Select(l => l.Trim()).First(l => l.StartsWith("UID", StringComparison.Ordinal));
        Assert.Equal(new[] { "UID", "PID", "PPID", "C", "STIME", "TTY", "TIME", "CMD" }, header.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("top-table", table); // grouped by container
        Assert.Matches(@"root\s+\d+\s+\d+\s+\d+\s+\d\d:\d\d\s+\?\s+00:00:00\s+sh -c sleep 300|root\s+\d+\s+\d+\s+\d+\s+\d\d:\d\d\s+\?\s+00:00:00\s+sleep 300", table);
    }

    [Fact]
    public void GetContainerProcess_OfAStoppedContainer_IsInvalidOperation_AndOfAMissingOne_ObjectNotFound()
    {
        _s.RunOk("New-Container busybox -Name top-created | Out-Null");
        var stopped = _s.Run("Get-ContainerProcess top-created");
        var error = Assert.Single(stopped.Errors);
        Assert.StartsWith("ContainerNotRunning,", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidOperation, error.CategoryInfo.Category);
        Assert.Null(stopped.TerminatingError);

        var missing = _s.Run("Get-ContainerProcess no-such-container");
        Assert.Equal(ErrorCategory.ObjectNotFound, Assert.Single(missing.Errors).CategoryInfo.Category);
    }

    [Fact]
    public void GetContainerStats_DefaultsToEveryRunningContainer_AllAddsTheOthers()
    {
        StartDetached("stats-a", "sleep 300");
        StartDetached("stats-b", "sleep 300");
        _s.RunOk("New-Container busybox -Name stats-created | Out-Null");

        var running = _s.RunOk("Get-ContainerStats");
        Assert.Equal(new[] { "stats-a", "stats-b" }, running.Select(o => Prop<string>(o, "Name")).Order());
        Assert.All(running, o =>
        {
            Assert.Equal("ContainerPS.Engine.Containers.Stats.ContainerStats", o.BaseObject.GetType().FullName);
            Assert.True(Prop<bool>(o, "Running"));
            Assert.Equal(1L, Prop<long>(o, "Pids"));
            Assert.True(Prop<long>(o, "MemoryLimit") > 0);
        });

        var all = _s.RunOk("Get-ContainerStats -All");
        Assert.Equal(new[] { "stats-a", "stats-b", "stats-created" }, all.Select(o => Prop<string>(o, "Name")).Order());
        var created = all.Single(o => Prop<string>(o, "Name") == "stats-created");
        Assert.False(Prop<bool>(created, "Running"));
        Assert.Equal(0L, Prop<long>(created, "Pids"));
    }

    [Fact]
    public void GetContainerStats_ShowsCpuAndTheMemoryLimit()
    {
        StartDetached("stats-busy", "while true; do :; done", "-Memory 64MB -Network none");
        Thread.Sleep(200);
        var s = Assert.Single(_s.RunOk("Get-ContainerStats stats-busy -SampleInterval 300"));
        Assert.InRange(Prop<double>(s, "CpuPercent"), 10, 100.0 * Environment.ProcessorCount + 1);
        Assert.Equal(64L * 1024 * 1024, Prop<long>(s, "MemoryLimit"));
        Assert.True(Prop<bool>(s, "MemoryLimited"));

        var table = Text(_s.RunOk("Get-ContainerStats stats-busy | Out-String -Width 200"));
        var lines = table.Split('\n').Select(l => l.TrimEnd()).Where(l => l.Length > 0).ToList();
        Assert.Matches(@"^Container ID\s+Name\s+CPU %\s+Mem Usage / Limit\s+Mem %\s+Net I/O\s+Block I/O\s+PIDs$", lines[0]);
        Assert.Matches(@"^[0-9a-f]{12}\s+stats-busy\s+\d+\.\d\d%\s+[\d.]+(B|KiB|MiB) / 64MiB\s+\d+\.\d\d%\s+0B / 0B\s+\S+ / \S+\s+1$", lines[2]);
    }

    [Fact]
    public void GetContainerStats_SamplesSeveralContainersTogether()
    {
        for (var i = 0; i < 4; i++) StartDetached($"stats-many-{i}", "sleep 300");
        var stats = _s.RunOk("Get-Container | Get-ContainerStats -SampleInterval 500");
        Assert.Equal(4, stats.Count);
        // Each sampled while running (two samples, one interval apart; the interval is shared by
        // all — that is the engine's, tested there without a wall-clock bound).
        Assert.All(stats, s => Assert.True(Prop<bool>(s, "Running"), Prop<string>(s, "Name")));
        Assert.All(stats, s => Assert.True(Prop<long>(s, "MemoryUsage") > 0, Prop<string>(s, "Name")));
    }

    [Fact]
    public void GetContainerStats_ReportsAMissingName_AndStillSamplesTheOthers()
    {
        StartDetached("stats-there", "sleep 300");
        var result = _s.Run("Get-ContainerStats stats-there, no-such-container");
        var error = Assert.Single(result.Errors);
        Assert.StartsWith("ContainerNotFound,", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
        Assert.Equal("stats-there", Prop<string>(Assert.Single(result.Output), "Name"));
    }

    [Fact]
    public void GetContainerStats_OfAnEmptyPipeline_WritesNothing()
    {
        StartDetached("stats-not-piped", "sleep 300");
        Assert.Empty(_s.RunOk("Get-Container -Status exited | Get-ContainerStats"));
        Assert.Single(_s.RunOk("Get-ContainerStats"));
    }

    [Fact]
    public void GetContainerStats_WithoutRunningContainers_WritesNothing()
    {
        var result = _s.Run("Get-ContainerStats");
        Assert.False(result.HadErrors, ImageSession.Describe(result.Errors));
        Assert.Empty(result.Output);
    }
}
