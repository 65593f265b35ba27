using System.Text;
using ContainerPS.Engine.Containers;
using ContainerPS.Engine.Errors;
using ContainerPS.Engine.Store;

namespace ContainerPS.Engine.Build.Execution;

public sealed partial class BuildSession
{
    /// <summary>Label on the builder's temporary containers.</summary>
    public const string BuildContainerLabel = "io.containerps.build";

    /// <summary>
    /// RUN: <paramref name="argv"/> runs in a temporary container on an overlay of the state's
    /// layers (plus the init layer) and a fresh upper directory, with the state's env, USER and
    /// WORKDIR and <paramref name="buildArgs"/> as extra variables (ENV wins over an ARG of the same
    /// name, as in Docker). Its output goes to the build's output line by line. The upper directory
    /// becomes the new layer; the container is removed whatever happens.
    /// </summary>
    /// <exception cref="BuildStepFailedException">The command exited with a non-zero code.</exception>
    public async Task<BuildState> RunAsync(BuildState parent, Digest key, StepInfo step, IReadOnlyList<string> argv,
        IReadOnlyDictionary<string, string> buildArgs, CancellationToken ct, string? network = null, IReadOnlyList<Instructions.RunMount>? mounts = null)
    {
        var runtime = parent.Runtime;
        var env = new Dictionary<string, string?>(StringComparer.Ordinal);
        var imageEnv = (runtime.Env ?? new List<string>()).Select(e => e.Split('=', 2)[0]).ToHashSet(StringComparer.Ordinal);
        foreach (var (name, value) in buildArgs)
            if (!imageEnv.Contains(name)) env[name] = value;
        var options = new ContainerCreateOptions
        {
            Image = parent.BaseImageId.Length > 0 ? parent.BaseImageId : "scratch",
            Entrypoint = Array.Empty<string>(),
            Command = argv.ToArray(),
            Environment = env,
            User = string.IsNullOrEmpty(runtime.User) ? null : runtime.User,
            WorkingDir = string.IsNullOrEmpty(runtime.WorkingDir) ? null : runtime.WorkingDir,
            Labels = new Dictionary<string, string>(StringComparer.Ordinal) { [BuildContainerLabel] = step.Name },
            Network = (network ?? Options.Network) is "default" ? null : network ?? Options.Network,
        };
        ApplyRunMounts(options, mounts ?? Array.Empty<Instructions.RunMount>(), step);
        options.Validate();

        ct.ThrowIfCancellationRequested();
        var container = _containers.CreateCore(options, parent.BaseImageId, runtime, parent.Chains);
        _liveContainers[container.Id] = 0;
        try
        {
            var code = await RunToEndAsync(container.Id, step, ct).ConfigureAwait(false);
            if (code != 0)
                throw new BuildStepFailedException(step.Name, step.File, step.Line, string.Join(' ', argv), code);
            var upper = Path.Combine(_containers.Layout.Containers, container.Id, "diff");
            return await AddLayerAsync(parent, key, step.CreatedBy, upper, staging: null, change: null, ct).ConfigureAwait(false);
        }
        finally
        {
            // Removal (waiting for the monitor to finish, deleting the directory) overlaps the
            // next steps; the build waits for every removal before it returns or rolls back.
            lock (_removals) _removals.Add(RemoveContainerAsync(container.Id));
        }
    }

    /// <summary>Waits until every RUN container of the build is gone.</summary>
    internal async Task WaitForRemovalsAsync()
    {
        Task[] pending;
        lock (_removals) pending = _removals.ToArray();
        await Task.WhenAll(pending).ConfigureAwait(false);
    }

    private async Task<int> RunToEndAsync(string id, StepInfo step, CancellationToken ct)
    {
        await Task.Run(() => _containers.Start(id, waitForAttach: true), ct).ConfigureAwait(false);
        var stdout = new LineBuffer(line => Say(step.Name, "stdout", line));
        var stderr = new LineBuffer(line => Say(step.Name, "stderr", line));
        int? code;
        try
        {
            code = await _containers.AttachAsync(id, new AttachStreams
            {
                Output = (stream, data) => (stream == "stderr" ? stderr : stdout).Write(data.Span),
            }, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (!ct.IsCancellationRequested && (e is IOException || e is EngineException { ErrorId: "MonitorGone" or "MonitorUnreachable" or "ContainerNotRunning" }))
        {
            code = null; // the monitor went away before its last word: the state file has the exit code
        }
        stdout.Flush();
        stderr.Flush();
        ct.ThrowIfCancellationRequested();
        if (code is { } c) return c;
        return await _containers.WaitAsync(id, ct).ConfigureAwait(false);
    }

    private async Task RemoveContainerAsync(string id)
    {
        try
        {
            await _containers.RemoveAsync(id, force: true, CancellationToken.None).ConfigureAwait(false);
        }
        catch (NotFoundException)
        {
        }
        catch (Exception e) when (e is EngineException or IOException)
        {
            // Retried by the roll-back / end of the build, which removes what is left by name.
            return;
        }
        _liveContainers.TryRemove(id, out _);
    }

    /// <summary>Splits a byte stream into UTF-8 lines.</summary>
    private sealed class LineBuffer
    {
        private readonly Action<string> _line;
        private readonly List<byte> _pending = new();

        public LineBuffer(Action<string> line) => _line = line;

        public void Write(ReadOnlySpan<byte> data)
        {
            lock (_pending)
            {
                foreach (var b in data)
                {
                    if (b == (byte)'\n')
                    {
                        _line(Encoding.UTF8.GetString(_pending.ToArray()).TrimEnd('\r'));
                        _pending.Clear();
                    }
                    else _pending.Add(b);
                }
            }
        }

        public void Flush()
        {
            lock (_pending)
            {
                if (_pending.Count == 0) return;
                _line(Encoding.UTF8.GetString(_pending.ToArray()));
                _pending.Clear();
            }
        }
    }
}
