using ContainerPS.Runtime.Spawning;
using ContainerPS.Tests.Unit.Containers;

namespace ContainerPS.Tests.Unit.Spawning;

/// <summary>One reaper thread collects every child handed to it: none is left a zombie.</summary>
public sealed class ChildReaperTests
{
    private static int SpawnSh(string script) => Spawner.Spawn(new SpawnRequest
    {
        Path = "/bin/sh",
        Arguments = new[] { "sh", "-c", script },
        Environment = Array.Empty<string>(),
        Descriptors = Array.Empty<(int, int)>(),
    });

    /// <summary>"Z" while a zombie, null once reaped (its /proc entry is gone).</summary>
    private static string? State(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[0];
        }
        catch (IOException)
        {
            return null;
        }
    }

    [Fact]
    public async Task Children_that_exit_now_and_later_are_all_reaped()
    {
        var quick = Enumerable.Range(0, 5).Select(_ => SpawnSh("exit 3")).ToList();
        var later = Enumerable.Range(0, 3).Select(_ => SpawnSh("sleep 0.3")).ToList();
        // A child that is already a zombie when handed over is collected too.
        Assert.True(await ContainerHarness.Eventually(() => quick.All(p => State(p) == "Z"), TimeSpan.FromSeconds(10)));
        foreach (var pid in quick.Concat(later)) ChildReaper.Add(pid);
        Assert.True(await ContainerHarness.Eventually(() => quick.Concat(later).All(p => State(p) is null), TimeSpan.FromSeconds(10)),
            string.Join(", ", quick.Concat(later).Select(p => $"{p}:{State(p)}")));
        // Added after the thread went back to waiting: woken, watched, reaped.
        var next = SpawnSh("sleep 0.1");
        ChildReaper.Add(next);
        Assert.True(await ContainerHarness.Eventually(() => State(next) is null, TimeSpan.FromSeconds(10)));
    }
}
