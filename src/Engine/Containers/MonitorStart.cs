using System.Text;
using System.Text.Json;
using ContainerPS.Engine.Errors;
using ContainerPS.Runtime.Monitor;
using ContainerPS.Runtime.Spawning;

namespace ContainerPS.Engine.Containers;

/// <summary>
/// A monitor just spawned: the engine may still owe it the network's verdict
/// (<see cref="NetworkReady"/> / <see cref="NetworkFailed"/>), then reads its "ready" line.
/// </summary>
internal sealed class MonitorStart : IDisposable
{
    private readonly string _configPath;
    private readonly FileStream _stdout;
    private FileStream? _network;

    /// <param name="network">The monitor's stdin: the engine's word on the network (and an early monitor's go-ahead).</param>
    /// <param name="early">Started before its container existed: it waits for <see cref="Configure"/>.</param>
    public MonitorStart(int pid, string configPath, FileStream stdout, FileStream? network, bool early = false)
    {
        Pid = pid;
        _configPath = configPath;
        _stdout = stdout;
        _network = network;
        _awaitsConfiguration = early;
    }

    public int Pid { get; }

    /// <summary>Started early and not told yet that its monitor.json is written.</summary>
    private bool _awaitsConfiguration;

    /// <summary>
    /// Tells an early monitor its monitor.json (at the path it was started with) is written.
    /// Unless <paramref name="awaitsNetwork"/>, its stdin ends here (the network's word would
    /// be the next line).
    /// </summary>
    public void Configure(bool awaitsNetwork)
    {
        if (!_awaitsConfiguration) throw new InvalidOperationException("the monitor is not waiting for its configuration");
        _awaitsConfiguration = false;
        Send(MonitorProtocol.StartLine);
        if (!awaitsNetwork) Signal(null);
    }

    /// <summary>The network is up and network.json written: the monitor may release the process.</summary>
    public void NetworkReady() => Signal("ok");

    /// <summary>The network could not be set up (and has been undone): the monitor fails the start with this.</summary>
    public void NetworkFailed(string message) => Signal(message.ReplaceLineEndings(" ").Trim() is { Length: > 0 } m && m != "ok" ? m : "network set-up failed");

    /// <summary>Writes the last line the monitor reads on stdin (none: just the end of file), and closes it.</summary>
    private void Signal(string? line)
    {
        if (line is not null) Send(line);
        _network?.Dispose();
        _network = null;
    }

    private void Send(string line)
    {
        if (_network is null) return;
        try
        {
            _network.Write(Encoding.UTF8.GetBytes(line + "\n"));
        }
        catch (IOException)
        {
            // The monitor has gone already: its ready line (or its absence) says why.
        }
    }

    /// <summary>The monitor's one start-up verdict.</summary>
    /// <exception cref="EngineException">It did not report within <paramref name="timeout"/>, or exited without reporting.</exception>
    public MonitorReady AwaitReady(TimeSpan timeout)
    {
        string? line;
        try
        {
            // On this thread (poll + read), not a blocking wait on an async read: see PipeLineReader.
            line = PipeLineReader.ReadLine(_stdout, timeout);
        }
        catch (TimeoutException)
        {
            throw new EngineException(ErrorKind.Unavailable, "MonitorTimeout", $"the container monitor (pid {Pid}) did not report within {timeout.TotalSeconds:0} s", _configPath);
        }
        if (string.IsNullOrEmpty(line))
            throw new EngineException(ErrorKind.Internal, "MonitorFailed", $"the container monitor (pid {Pid}) exited without reporting; see {Path.Combine(Path.GetDirectoryName(_configPath)!, "monitor.log")}", _configPath);
        return JsonSerializer.Deserialize(line, MonitorJsonContext.Default.MonitorReady)
            ?? throw new EngineException(ErrorKind.Internal, "MonitorFailed", "the container monitor sent an empty report", _configPath);
    }

    public void Dispose()
    {
        _network?.Dispose(); // EOF: a monitor still waiting fails its start
        _network = null;
        _stdout.Dispose();
    }
}
