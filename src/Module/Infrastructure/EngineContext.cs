using System.Management.Automation;
using ContainerPS.Engine.Progress;

namespace ContainerPS.Module.Infrastructure;

/// <summary>
/// What an engine operation started by <see cref="EngineCmdlet.RunEngine{T}(string, Func{EngineContext, Task{T}})"/>
/// may use from any thread: its cancellation token, a progress sink, and writers that queue
/// output for the pipeline thread, so results stream out as they are produced (a pulled
/// layer, a build step's output) rather than at the end.
/// </summary>
public sealed class EngineContext
{
    private readonly PipelineDispatcher _dispatcher;
    private readonly Cmdlet _cmdlet;

    internal EngineContext(Cmdlet cmdlet, PipelineDispatcher dispatcher, CancellationToken cancellationToken)
    {
        _cmdlet = cmdlet;
        _dispatcher = dispatcher;
        CancellationToken = cancellationToken;
    }

    /// <summary>Cancelled by Ctrl+C (StopProcessing).</summary>
    public CancellationToken CancellationToken { get; }

    /// <summary>Reports become Write-Progress activities (see <see cref="ProgressWriter"/>).</summary>
    public IProgress<ProgressReport> Progress => _dispatcher;

    /// <summary>Writes an object to the output stream.</summary>
    public void WriteObject(object? value) => _dispatcher.Post(() => _cmdlet.WriteObject(value));

    /// <summary>Writes to the information stream (build step output, convention 5).</summary>
    public void WriteInformation(string message, params string[] tags) =>
        _dispatcher.Post(() => _cmdlet.WriteInformation(message, tags));

    public void WriteVerbose(string message) => _dispatcher.Post(() => _cmdlet.WriteVerbose(message));

    public void WriteWarning(string message) => _dispatcher.Post(() => _cmdlet.WriteWarning(message));

    /// <summary>Writes a non-terminating error for one item; the operation goes on.</summary>
    public void WriteError(Exception exception, object? target) =>
        _dispatcher.Post(() => _cmdlet.WriteError(ErrorMapping.ToErrorRecord(exception, target)));
}
