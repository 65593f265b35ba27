using System.Text;
using System.Text.Json;
using ContainerPS.Runtime.Monitor;

namespace ContainerPS.Tests.Unit.Runtime;

/// <summary>
/// The monitor reads and writes its messages with <see cref="MonitorJson"/> (no serializer in the
/// monitor binary); the engine with <see cref="MonitorJsonContext"/>. The two must agree byte for byte.
/// </summary>
public sealed class MonitorJsonTests
{
    [Fact]
    public void Monitor_json_written_by_the_engine_reads_back_field_for_field()
    {
        var config = new MonitorConfig
        {
            Id = "abc", ContainerDir = "/s/containers/abc", Bundle = "/s/containers/abc/bundle", LogPath = "/s/l.log",
            Tty = true, OpenStdin = true, StdinOnce = true, RestartPolicy = "on-failure", RestartMaxRetries = 3, AutoRemove = true,
            Runtime = "crun", StoreLock = "/s/store.lock", WaitForAttach = true, WaitForNetwork = true, NetnsOnly = true, NetnsPath = "/run/netns/x", HostNetwork = true,
            NetworkFile = "/s/network.json", PortFds = 2,
            Rootfs = new MountDescription { Type = "overlay", Source = "overlay", WorkingDirectory = "/s/layers", Options = new() { "lowerdir=l/A:l/B", "upperdir=/u \"q\"", "workdir=/w" } },
            Resources = new CgroupLimits { MemoryLimit = 16 << 20, MemorySwap = -1, CpuShares = 512, CpuQuota = 50000, CpuPeriod = 100000, PidsLimit = 10,
                Devices = new() { "deny a *:* rwm", "allow c 136:* rwm" } },
        };
        var read = MonitorJson.ReadConfig(JsonSerializer.SerializeToUtf8Bytes(config, MonitorJsonContext.Default.MonitorConfig));
        Assert.Equal(JsonSerializer.Serialize(config, MonitorJsonContext.Default.MonitorConfig), JsonSerializer.Serialize(read, MonitorJsonContext.Default.MonitorConfig));

        var minimal = MonitorJson.ReadConfig(Encoding.UTF8.GetBytes("{\"id\":\"x\",\"future\":{\"a\":[1,2]},\"resources\":null}"));
        Assert.Equal("x", minimal.Id);
        Assert.Null(minimal.Resources);
        Assert.Equal("builtin", minimal.Runtime);
    }

    [Fact]
    public void State_ready_and_responses_are_the_bytes_the_serializer_writes()
    {
        var state = new ContainerStateFile
        {
            Status = ContainerStatus.Restarting, Pid = 7, MonitorPid = 8, ExitCode = 137, Error = "oom \u00e9 \"x\"", OomKilled = true,
            StartedAt = new DateTimeOffset(2026, 12, 4, 14, 0, 1, 123, TimeSpan.Zero).AddTicks(4567),
            FinishedAt = DateTimeOffset.UnixEpoch, RestartCount = 2, ManualStop = true, Socket = "/s/m.sock",
        };
        foreach (var s in new[] { state, new ContainerStateFile() })
        {
            Assert.Equal(JsonSerializer.SerializeToUtf8Bytes(s, MonitorJsonContext.Default.ContainerStateFile), MonitorJson.Write(s));
            var back = JsonSerializer.Deserialize(MonitorJson.Write(s), MonitorJsonContext.Default.ContainerStateFile)!;
            Assert.Equal(s.Status, back.Status);
            Assert.Equal(s.StartedAt, back.StartedAt);
        }
        foreach (var status in Enum.GetValues<ContainerStatus>())
        {
            var s = new ContainerStateFile { Status = status };
            Assert.Equal(JsonSerializer.SerializeToUtf8Bytes(s, MonitorJsonContext.Default.ContainerStateFile), MonitorJson.Write(s));
        }
        foreach (var ready in new[] { new MonitorReady { Ok = true, Pid = 42 }, new MonitorReady { Ok = false, Error = "127 exec: \"x\": not found", ExitCode = 127 } })
            Assert.Equal(JsonSerializer.SerializeToUtf8Bytes(ready, MonitorJsonContext.Default.MonitorReady), MonitorJson.Write(ready));
        foreach (var response in new[] { new MonitorResponse { Ok = true }, new MonitorResponse { Ok = true, ExitCode = 3 }, new MonitorResponse { Ok = false, Error = "no" }, new MonitorResponse { Ok = true, State = state } })
            Assert.Equal(JsonSerializer.SerializeToUtf8Bytes(response, MonitorJsonContext.Default.MonitorResponse), MonitorJson.Write(response));
    }

    [Fact]
    public void Requests_sent_by_the_engine_read_back_with_their_defaults()
    {
        foreach (var request in new[]
        {
            new MonitorRequest { Op = "wait" },
            new MonitorRequest { Op = "stop", Signal = 15, TimeoutSeconds = 0 },
            new MonitorRequest { Op = "attach", Stdin = true, Stdout = false, Stderr = true },
            new MonitorRequest { Op = "resize", Rows = 40, Cols = 120 },
        })
        {
            var read = MonitorJson.ReadRequest(JsonSerializer.Serialize(request, MonitorJsonContext.Default.MonitorRequest));
            Assert.Equal(JsonSerializer.Serialize(request, MonitorJsonContext.Default.MonitorRequest), JsonSerializer.Serialize(read, MonitorJsonContext.Default.MonitorRequest));
        }
        var bare = MonitorJson.ReadRequest("{\"op\":\"attach\"}");
        Assert.True(bare.Stdout && bare.Stderr);
        Assert.Equal(10, bare.TimeoutSeconds);
        Assert.Throws<JsonException>(() => MonitorJson.ReadRequest("[1]"));
        Assert.ThrowsAny<JsonException>(() => MonitorJson.ReadRequest("{\"op\":"));
    }
}
