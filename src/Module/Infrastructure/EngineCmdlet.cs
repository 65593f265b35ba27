using System.Diagnostics.CodeAnalysis;
using System.Management.Automation;
using ContainerPS.Engine.Images;
using ContainerPS.Engine.Store;
using ContainerPS.Engine.Progress;

namespace ContainerPS.Module.Infrastructure;

/// <summary>
/// Base of every ContainerPS cmdlet. It bridges the async engine onto the pipeline thread
/// (results, progress and errors are written only there), turns Ctrl+C
/// (<see cref="StopProcessing"/>) into cancellation of the token engine calls run under,
/// and turns engine exceptions into ErrorRecords with a specific ErrorId and category.
/// </summary>
public abstract class EngineCmdlet : PSCmdlet, IDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private ImageStore? _imageStore;
    private bool _disposed;

    /// <summary>Cancelled when the user presses Ctrl+C or the pipeline is stopped.</summary>
    protected CancellationToken CancellationToken => _stopping.Token;

    /// <summary>The image store at the engine's default root ($env:CONTAINERPS_ROOT or /var/lib/containerps).</summary>
    protected ImageStore ImageStore
    {
        get
        {
            if (_imageStore is null)
            {
                try
                {
                    _imageStore = ImageStore.Open();
                }
                catch (Exception e) when (ErrorMapping.IsReportable(e))
                {
                    // Without a store no part of the command can go on.
                    ThrowEngineError(e, Environment.GetEnvironmentVariable(StoreLayout.RootVariable) ?? StoreLayout.DefaultRoot);
                }
            }
            return _imageStore;
        }
    }

    protected override void StopProcessing()
    {
        try
        {
            _stopping.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // Stopped after the command finished: nothing left to cancel.
        }
    }

    /// <summary>
    /// Runs an engine operation to completion while pumping its progress, and whatever it
    /// writes through the <see cref="EngineContext"/>, onto the pipeline thread. Engine
    /// failures propagate as exceptions; callers decide whether they are terminating (see
    /// <see cref="ThrowEngineError"/>) or per item (see <see cref="WriteEngineError"/>).
    /// Ctrl+C cancels the operation's token and unwinds with PipelineStoppedException.
    /// </summary>
    /// <param name="activity">The parent Write-Progress activity, e.g. "Saving images to x.tar".</param>
    protected T RunEngine<T>(string activity, Func<EngineContext, Task<T>> operation)
    {
        var progress = new ProgressWriter(this, activity);
        using var dispatcher = new PipelineDispatcher(progress.Write);
        var token = CancellationToken;
        var context = new EngineContext(this, dispatcher, token);
        var task = Task.Run(() => operation(context), token);
        try
        {
            return dispatcher.Run(task, StopProcessing);
        }
        catch (OperationCanceledException) when (Stopping || token.IsCancellationRequested)
        {
            // Ctrl+C: PowerShell expects the pipeline to unwind with this exception.
            throw new PipelineStoppedException();
        }
        finally
        {
            // While stopping, Write* throws; the host clears the bars itself.
            if (!Stopping) progress.Complete();
        }
    }

    /// <summary>
    /// <see cref="RunEngine{T}(string, Func{EngineContext, Task{T}})"/> for the common case of
    /// an engine call that takes a progress sink and a token.
    /// </summary>
    protected T RunEngine<T>(string activity, Func<IProgress<ProgressReport>, CancellationToken, Task<T>> operation) =>
        RunEngine(activity, context => operation(context.Progress, context.CancellationToken));

    /// <summary>As <see cref="RunEngine{T}(string, Func{IProgress{ProgressReport}, CancellationToken, Task{T}})"/> for an operation without a result.</summary>
    protected void RunEngine(string activity, Func<IProgress<ProgressReport>, CancellationToken, Task> operation) =>
        RunEngine<bool>(activity, async (progress, token) =>
        {
            await operation(progress, token).ConfigureAwait(false);
            return true;
        });

    /// <summary>
    /// Runs one item's work and reports an engine failure as a non-terminating error for that
    /// item, so the rest of the input can go on. Returns false when it failed.
    /// </summary>
    protected bool TryEngine(Action action, object? target)
    {
        try
        {
            action();
            return true;
        }
        catch (PipelineStoppedException)
        {
            throw;
        }
        catch (Exception e) when (ErrorMapping.IsReportable(e))
        {
            WriteEngineError(e, target);
            return false;
        }
    }

    /// <summary>As <see cref="TryEngine(Action, object?)"/> for work that returns a value.</summary>
    protected bool TryEngine<T>(Func<T> func, object? target, [MaybeNullWhen(false)] out T result)
    {
        T value = default!;
        var ok = TryEngine(() => value = func(), target);
        result = value;
        return ok;
    }

    /// <summary>Writes a non-terminating error for <paramref name="exception"/>.</summary>
    protected void WriteEngineError(Exception exception, object? target)
    {
        if (exception is OperationCanceledException && (Stopping || CancellationToken.IsCancellationRequested))
            throw new PipelineStoppedException();
        WriteError(ErrorMapping.ToErrorRecord(exception, target));
    }

    /// <summary>Stops the whole command with a terminating error for <paramref name="exception"/>.</summary>
    [DoesNotReturn]
    protected void ThrowEngineError(Exception exception, object? target)
    {
        if (exception is OperationCanceledException && (Stopping || CancellationToken.IsCancellationRequested))
            throw new PipelineStoppedException();
        ThrowTerminatingError(ErrorMapping.ToErrorRecord(exception, target));
        throw new InvalidOperationException("unreachable"); // ThrowTerminatingError always throws
    }

    /// <summary>An error record for a failure the module itself detects (no engine exception).</summary>
    protected static ErrorRecord NewError(Exception exception, string errorId, ErrorCategory category, object? target) =>
        new(exception, errorId, category, target);

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
        if (_disposed) return;
        _disposed = true;
        if (disposing) _stopping.Dispose();
    }
}
