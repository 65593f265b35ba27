using System.Collections.Concurrent;
using ContainerPS.Engine.Progress;

namespace ContainerPS.Module.Infrastructure;

/// <summary>
/// Carries work from engine threads to the pipeline thread. An engine call runs on the
/// thread pool; whatever it wants written (progress, objects, messages) is queued here and
/// executed by <see cref="Run{T}"/> on the thread that called it, because PowerShell only
/// allows Write* from the pipeline thread.
/// </summary>
internal sealed class PipelineDispatcher : IProgress<ProgressReport>, IDisposable
{
    private readonly BlockingCollection<Action> _queue = new();
    private readonly Action<ProgressReport> _onProgress;

    public PipelineDispatcher(Action<ProgressReport> onProgress) => _onProgress = onProgress;

    /// <summary>Queues <paramref name="action"/> for the pipeline thread; callable from any thread.</summary>
    public void Post(Action action)
    {
        try
        {
            _queue.Add(action);
        }
        catch (Exception e) when (e is InvalidOperationException or ObjectDisposedException)
        {
            // The operation has already finished; a late report has nowhere to go.
        }
    }

    public void Report(ProgressReport value) => Post(() => _onProgress(value));

    /// <summary>
    /// Pumps queued actions on the calling (pipeline) thread until <paramref name="task"/>
    /// ends, then returns its result or rethrows its exception. If the pipeline itself fails
    /// while pumping (a downstream error, Ctrl+C), <paramref name="cancel"/> stops the engine
    /// and the task is awaited so nothing keeps running behind the user's back.
    /// </summary>
    public T Run<T>(Task<T> task, Action cancel)
    {
        task.ContinueWith(_ => Complete(), CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        try
        {
            foreach (var action in _queue.GetConsumingEnumerable()) action();
        }
        catch
        {
            cancel();
            try { task.Wait(); } catch (AggregateException) { /* reported by the outer exception */ }
            throw;
        }

        return task.GetAwaiter().GetResult();
    }

    public void Dispose() => _queue.Dispose();

    private void Complete()
    {
        try
        {
            _queue.CompleteAdding();
        }
        catch (ObjectDisposedException)
        {
            // The pipeline gave up waiting (it failed first) and has already let go.
        }
    }
}
