using ContainerPS.Engine.Containers;
using ContainerPS.Runtime.Monitor;

namespace ContainerPS.Tests.Unit.Containers;

/// <summary>
/// The monitor answers every request it accepted, even the ones the container's exit
/// completes (stop, kill, wait): a caller never sees a dropped connection for a container that
/// simply exited. Repeated, because the failure is a race between the monitor's exit and its reply.
/// </summary>
[Collection("Containers")]
public sealed class MonitorReplyRaceTests : IDisposable
{
    private const int Rounds = 12;
    private readonly ContainerHarness _h = new();

    public void Dispose() => _h.Dispose();

    [Fact]
    public async Task Wait_always_gets_the_exit_code()
    {
        var failures = new List<string>();
        for (var i = 0; i < Rounds; i++)
        {
            var c = _h.Run("sh", "-c", $"sleep 0.1; exit {i + 1}");
            try
            {
                var code = await _h.Containers.WaitAsync(c.Id, CancellationToken.None);
                if (code != i + 1) failures.Add($"round {i}: exit code {code}");
            }
            catch (Exception ex)
            {
                failures.Add($"round {i}: {ex.GetType().Name}: {ex.Message}");
            }
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public async Task Stop_always_gets_a_reply()
    {
        var failures = new List<string>();
        for (var i = 0; i < Rounds; i++)
        {
            var c = _h.Run("sh", "-c", "trap 'exit 7' TERM; echo ready; while true; do sleep 0.02; done");
            await ContainerHarness.Eventually(() => _h.Logs(c.Id).GetAwaiter().GetResult().Stdout.Length > 0, TimeSpan.FromSeconds(3));
            try
            {
                var stopped = await _h.Containers.StopAsync(c.Id, 5, null, CancellationToken.None);
                if (stopped.State != ContainerStatus.Exited || stopped.ExitCode != 7) failures.Add($"round {i}: {stopped.State} {stopped.ExitCode}");
            }
            catch (Exception ex)
            {
                failures.Add($"round {i}: {ex.GetType().Name}: {ex.Message}");
            }
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public async Task Kill_always_gets_a_reply()
    {
        var failures = new List<string>();
        for (var i = 0; i < Rounds; i++)
        {
            var c = _h.Run("sleep", "1000");
            try
            {
                var killed = await _h.Containers.KillAsync(c.Id, null, CancellationToken.None);
                if (killed.ExitCode != 137) failures.Add($"round {i}: exit code {killed.ExitCode}");
            }
            catch (Exception ex)
            {
                failures.Add($"round {i}: {ex.GetType().Name}: {ex.Message}");
            }
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }
}
