using System.Collections.Concurrent;
using System.Management.Automation;
using ContainerPS.Engine.Containers;

namespace ContainerPS.Module.Containers;

/// <summary>
/// One attach to a container in the foreground (Start-Container without -Detach, -Attach):
/// the engine's attach runs on the thread pool; each complete line the container writes is
/// queued and written to the pipeline by the pipeline thread, as it is produced, when that
/// thread calls <see cref="Drain"/> (between pipeline input objects) or <see cref="Finish"/>
/// (until the container exits). With a TTY the output is the terminal's byte stream and goes
/// straight to the console instead.
/// </summary>
/// <remarks>
/// Lines are strings with a "Stream" note property ("stdout" / "stderr"): both streams go to
/// the Output stream, as `docker run` shows both, and
/// <c>Where-Object Stream -eq stderr</c> tells them apart.
/// </remarks>
internal sealed class AttachSession : IDisposable
{
    private readonly BlockingCollection<Action> _queue = new();
    private readonly CancellationTokenSource _cancel;
    private readonly Cmdlet _cmdlet;
    private readonly Task<int?> _attach;
    private readonly LineSplitter _stdout = new();
    private readonly LineSplitter _stderr = new();
    private readonly Stream? _terminal;

    private AttachSession(Cmdlet cmdlet, ContainerManager containers, string id, Stream? stdin, ConsoleTerminal? terminal, byte[]? detachKeys, CancellationToken cancellationToken)
    {
        _cmdlet = cmdlet;
        _terminal = terminal?.Output;
        _cancel = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Stdin = stdin;
        var streams = new AttachStreams
        {
            Stdin = stdin,
            Output = OnOutput,
            Size = terminal?.Size,
            Resizes = terminal?.Resizes,
            DetachKeys = detachKeys,
        };
        var token = _cancel.Token;
        _attach = Task.Run(async () =>
        {
            try
            {
                return await containers.AttachAsync(id, streams, token).ConfigureAwait(false);
            }
            finally
            {
                FlushLines();
            }
        }, CancellationToken.None);
        _attach.ContinueWith(_ => CompleteQueue(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    /// <summary>What the container reads as its standard input (null: none).</summary>
    public Stream? Stdin { get; }

    /// <summary>
    /// Attaches to a container (a new one started with waitForAttach, so no output is
    /// missed). A TTY container's raw output goes to <paramref name="terminal"/>, its window
    /// size and resizes come from it; <paramref name="detachKeys"/> typed in
    /// <paramref name="stdin"/> end the attach and leave the container running.
    /// </summary>
    public static AttachSession Begin(Cmdlet cmdlet, ContainerManager containers, Container container,
        Stream? stdin, ConsoleTerminal? terminal, byte[]? detachKeys, CancellationToken cancellationToken) =>
        new(cmdlet, containers, container.Id, stdin, terminal, detachKeys, cancellationToken);

    /// <summary>Writes the lines that arrived so far; never blocks. Pipeline thread only.</summary>
    public void Drain()
    {
        try
        {
            while (_queue.TryTake(out var action)) action();
        }
        catch
        {
            Abandon();
            throw;
        }
    }

    /// <summary>
    /// Writes the container's output until it exits; returns its exit code, or null when the
    /// attach ended without one (detach keys). Engine failures and cancellation are thrown.
    /// Pipeline thread only.
    /// </summary>
    public int? Finish()
    {
        (Stdin as PipelineInputStream)?.Complete();
        try
        {
            foreach (var action in _queue.GetConsumingEnumerable()) action();
        }
        catch
        {
            Abandon();
            throw;
        }
        return _attach.GetAwaiter().GetResult();
    }

    public void Dispose()
    {
        if (!_attach.IsCompleted) Abandon();
        _cancel.Dispose();
        _queue.Dispose();
        Stdin?.Dispose();
    }

    // A downstream command failed or the pipeline stopped: stop attaching (the container
    // keeps running) and wait, so nothing runs on behind the user's back.
    private void Abandon()
    {
        try { _cancel.Cancel(); } catch (ObjectDisposedException) { }
        try { _attach.Wait(); } catch (AggregateException) { /* reported by the caller's exception */ }
    }

    private void OnOutput(string stream, ReadOnlyMemory<byte> data)
    {
        if (_terminal is not null)
        {
            _terminal.Write(data.Span);
            _terminal.Flush();
            return;
        }

        var splitter = stream == "stderr" ? _stderr : _stdout;
        foreach (var line in splitter.Feed(data.Span)) Post(line, stream);
    }

    private void FlushLines()
    {
        if (_stdout.Flush() is { } last) Post(last, "stdout");
        if (_stderr.Flush() is { } lastError) Post(lastError, "stderr");
    }

    private void Post(string line, string stream)
    {
        var value = OutputLine.Create(line, stream);
        try
        {
            _queue.Add(() => _cmdlet.WriteObject(value));
        }
        catch (Exception e) when (e is InvalidOperationException or ObjectDisposedException)
        {
            // The pipeline stopped listening (abandoned); the log still has the line.
        }
    }

    private void CompleteQueue()
    {
        try
        {
            _queue.CompleteAdding();
        }
        catch (ObjectDisposedException)
        {
        }
    }
}
