using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using ContainerPS.Engine.Errors;
using ContainerPS.Runtime.Monitor;

namespace ContainerPS.Engine.Containers;

public sealed partial class ContainerManager
{
    /// <summary>
    /// docker logs: lines from the container's json-file log, oldest first; with Follow, new
    /// lines as they are written until the container is no longer running.
    /// </summary>
    public async IAsyncEnumerable<LogLine> ReadLogsAsync(string nameOrId, LogReadOptions options, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var record = Resolve(nameOrId);
        var path = System.IO.Path.Combine(DirOf(record.Id), record.Id + "-json.log");
        if (!File.Exists(path) && !options.Follow) yield break;
        while (!File.Exists(path))
        {
            if (!TryGet(record.Id, out var c) || !c!.Running) yield break;
            await Task.Delay(20, cancellationToken).ConfigureAwait(false);
        }

        await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 64 * 1024);
        var pending = new StringBuilder();
        var buffer = new byte[64 * 1024];
        var decoder = Encoding.UTF8.GetDecoder();
        var chars = new char[Encoding.UTF8.GetMaxCharCount(buffer.Length)];

        // The backlog first (Tail applies to it), then follow.
        var backlog = new List<LogLine>();
        while (true)
        {
            var n = await file.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
            if (n == 0) break;
            var count = decoder.GetChars(buffer, 0, n, chars, 0);
            foreach (var line in Lines(pending, chars, count, options)) backlog.Add(line);
        }
        var start = options.Tail is { } tail && tail >= 0 ? Math.Max(0, backlog.Count - tail) : 0;
        for (var i = start; i < backlog.Count; i++) yield return backlog[i];
        if (!options.Follow) yield break;

        // New output is polled for (20 ms); the end is not: the monitor's "wait" answers at the
        // exit, after it has flushed the last output to the log, so a foreground run ends when
        // its container does (it used to be noticed up to 100 ms late).
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var ended = WhenNotRunningAsync(record.Id, stop.Token);
        try
        {
            while (true)
            {
                var n = await file.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
                if (n > 0)
                {
                    var count = decoder.GetChars(buffer, 0, n, chars, 0);
                    foreach (var line in Lines(pending, chars, count, options)) yield return line;
                    continue;
                }
                if (ended.IsCompleted)
                {
                    // Not running any more: one last read, then the end.
                    n = await file.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
                    if (n == 0) yield break;
                    var count = decoder.GetChars(buffer, 0, n, chars, 0);
                    foreach (var line in Lines(pending, chars, count, options)) yield return line;
                    continue;
                }
                await Task.WhenAny(Task.Delay(20, cancellationToken), ended).ConfigureAwait(false);
                cancellationToken.ThrowIfCancellationRequested();
            }
        }
        finally
        {
            stop.Cancel();
        }
    }

    /// <summary>
    /// Completes once the container is not running (exited, gone, or its monitor dead): the
    /// monitor's "wait" for each run (a restarting container runs again), polling as a fallback
    /// when the monitor cannot be asked. Never faults; ends quietly on cancellation.
    /// </summary>
    private async Task WhenNotRunningAsync(string id, CancellationToken cancellationToken)
    {
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                if (!TryGet(id, out var c) || !c!.Running) return;
                var state = ReadState(id);
                // Ended between the two reads (a short container often does): done, not after a pause.
                if (state.Status is not (ContainerStatus.Running or ContainerStatus.Paused or ContainerStatus.Restarting)) return;
                try
                {
                    // (A restarting container has no current run to wait for: polled.)
                    if (state.Socket is { } socket && state.Status is ContainerStatus.Running or ContainerStatus.Paused)
                    {
                        await MonitorClient.RequestAsync(socket, new MonitorRequest { Op = "wait" }, cancellationToken).ConfigureAwait(false);
                        continue;
                    }
                }
                catch (Exception ex) when (ex is EngineException or IOException or System.Net.Sockets.SocketException)
                {
                    // Monitor gone or busy ending (its socket closes during its clean-up, after
                    // the exit is recorded): the state file decides — at once, since usually a
                    // short container's exit just raced the request; re-read after a pause if not.
                    if (!TryGet(id, out var now) || !now!.Running) return;
                }
                await Task.Delay(100, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static List<LogLine> Lines(StringBuilder pending, char[] chars, int count, LogReadOptions options)
    {
        var result = new List<LogLine>();
        pending.Append(chars, 0, count);
        var text = pending.ToString();
        var consumed = 0;
        int nl;
        while ((nl = text.IndexOf('\n', consumed)) >= 0)
        {
            var json = text.AsSpan(consumed, nl - consumed);
            consumed = nl + 1;
            if (json.IsWhiteSpace()) continue;
            LogLine? line = Parse(json);
            if (line is null) continue;
            if (line.Stream == "stdout" && !options.Stdout || line.Stream == "stderr" && !options.Stderr) continue;
            if (options.Since is { } since && line.Time < since) continue;
            if (options.Until is { } until && line.Time > until) continue;
            result.Add(line);
        }
        pending.Remove(0, consumed);
        return result;
    }

    private static LogLine? Parse(ReadOnlySpan<char> json)
    {
        try
        {
            using var doc = JsonDocument.Parse(json.ToString());
            var root = doc.RootElement;
            var text = root.GetProperty("log").GetString() ?? "";
            if (text.EndsWith('\n')) text = text[..^1];
            if (text.EndsWith('\r')) text = text[..^1];
            return new LogLine(root.GetProperty("time").GetDateTimeOffset(), root.GetProperty("stream").GetString() ?? "stdout", text);
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or FormatException or InvalidOperationException)
        {
            return null; // a line cut by a crash: skip it, as docker does
        }
    }
}
