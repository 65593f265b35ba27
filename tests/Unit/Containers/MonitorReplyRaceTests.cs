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

    /// <summary>
    /// "wait" is answered on the monitor's accept thread (no thread per waiter): several waiters
    /// at once all hear the exit code, a client that connects and says nothing delays the others
    /// by at most the request line's 2 s timeout, and a wait after the exit is answered at once.
    /// </summary>
    [Fact]
    public async Task Several_waiters_and_a_silent_client_all_get_their_answer()
    {
        var c = _h.Run("sh", "-c", "sleep 0.5; exit 5");
        var socket = ReadSocket(c.Id);
        Assert.NotNull(socket);
        // A client that connects and never writes its request line.
        using var silent = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.Unix, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Unspecified);
        silent.Connect(new System.Net.Sockets.UnixDomainSocketEndPoint(socket!));
        var waiters = Enumerable.Range(0, 4).Select(_ => _h.Containers.WaitAsync(c.Id, CancellationToken.None)).ToList();
        var codes = await Task.WhenAll(waiters).WaitAsync(TimeSpan.FromSeconds(20));
        Assert.All(codes, code => Assert.Equal(5, code));
        Assert.Equal(5, await _h.Containers.WaitAsync(c.Id, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10)));
    }

    private string? ReadSocket(string id) =>
        System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(_h.DirOf(id), "state.json"))).RootElement.TryGetProperty("socket", out var s) ? s.GetString() : null;
}
