using ContainerPS.Engine.Build.Context;
using ContainerPS.Engine.Build.Instructions;
using ContainerPS.Engine.Build.Stages;
using ContainerPS.Engine.Containers;
using ContainerPS.Engine.Errors;
using ContainerPS.Engine.Images;
using ContainerPS.Engine.Progress;
using ContainerPS.Engine.References;

namespace ContainerPS.Engine.Build.Execution;

/// <summary>
/// docker build: parses the Dockerfile (Build/Stages), builds the stages the target needs — each
/// as soon as the stages it depends on are done, so independent stages run in parallel — step
/// by step through the cache (<see cref="BuildSession"/>), and publishes the target stage's
/// final state as an image with the requested names. A failure or cancellation anywhere removes
/// everything the build created: no image, no name, no container, no layer, no cache record.
/// </summary>
public sealed class ImageBuilder
{
    private readonly ContainerManager _containers;

    public ImageBuilder(ContainerManager containers) => _containers = containers;

    /// <summary>The Id of the build's own progress report; steps report under it.</summary>
    public const string ProgressId = "build";

    /// <summary>Builds; returns the image (named by <see cref="BuildOptions.Tags"/>, else dangling).</summary>
    /// <exception cref="DockerfileParseException">The Dockerfile is malformed (file and line).</exception>
    /// <exception cref="BuildStepFailedException">A RUN step failed (step, line, command, exit code).</exception>
    /// <exception cref="NotFoundException">"DockerfileNotFound", "BuildContextNotFound", "BaseImageNotFound", "SourceNotFound", "BuildTargetNotFound".</exception>
    /// <exception cref="InvalidArgumentException">A bad tag, COPY destination, --chown or --chmod (file and line).</exception>
    /// <exception cref="OperationCanceledException">Cancelled; nothing is left behind.</exception>
    public async Task<Image> BuildAsync(BuildOptions options, IProgress<ProgressReport>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var tags = options.Tags.Select(NormalizeTag).ToList(); // bad names fail before any work
        var contextDir = Path.GetFullPath(options.ContextPath);
        if (!Directory.Exists(contextDir))
            throw new NotFoundException("BuildContextNotFound", $"unable to prepare context: path \"{options.ContextPath}\" not found", options.ContextPath);
        // -File is relative to the current directory (docker build -f), and may lie outside the context.
        var dockerfilePath = options.DockerfilePath is { Length: > 0 } f ? Path.GetFullPath(f) : Path.Combine(contextDir, "Dockerfile");
        var dockerfile = await Dockerfile.LoadAsync(dockerfilePath, cancellationToken).ConfigureAwait(false);
        var global = GlobalScope.Create(dockerfile, new Dictionary<string, string>(options.BuildArgs, StringComparer.Ordinal));
        var graph = StageGraph.Build(dockerfile, global);
        var required = graph.Required(options.Target);
        var ignore = await DockerIgnore.LoadAsync(contextDir, dockerfilePath, cancellationToken).ConfigureAwait(false);
        var context = new BuildContext(contextDir, ignore);

        progress?.Report(new ProgressReport(ProgressId, "Building " + dockerfile.File, $"{required.Count} stage(s)"));
        using var session = new BuildSession(_containers, context, options);
        using var failed = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var runner = new StageRunner(session, graph, global, required, progress);
        var tasks = new Dictionary<int, Task<BuildState>>();
        try
        {
            foreach (var stage in required)
            {
                var deps = graph.DependenciesOf(stage.Index).Select(d => d.On).Distinct().ToList();
                var task = options.Parallel
                    ? StartAfter(deps, tasks, stage, runner, failed)
                    : await Sequential(deps, tasks, stage, runner, failed.Token).ConfigureAwait(false);
                tasks[stage.Index] = task;
            }
            var final = await tasks[required[^1].Index].ConfigureAwait(false);
            foreach (var unused in global.UnconsumedBuildArgs())
                session.Say("", "warning", $"[Warning] One or more build-args [{unused}] were not consumed");
            return await session.CommitAsync(final, tags, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            failed.Cancel(); // the other stages stop too
            try { await Task.WhenAll(tasks.Values).ConfigureAwait(false); } catch (Exception) { /* the first failure is reported */ }
            await session.RollbackAsync().ConfigureAwait(false);
            throw;
        }
    }

    private static Task<BuildState> StartAfter(List<int> deps, Dictionary<int, Task<BuildState>> tasks, BuildStage stage, StageRunner runner, CancellationTokenSource failed)
    {
        var before = deps.Select(d => tasks[d]).ToList();
        return Task.Run(async () =>
        {
            try
            {
                await Task.WhenAll(before).ConfigureAwait(false);
                return await runner.RunAsync(stage, tasks, failed.Token).ConfigureAwait(false);
            }
            catch
            {
                failed.Cancel();
                throw;
            }
        });
    }

    private static async Task<Task<BuildState>> Sequential(List<int> deps, Dictionary<int, Task<BuildState>> tasks, BuildStage stage, StageRunner runner, CancellationToken ct)
    {
        foreach (var d in deps) await tasks[d].ConfigureAwait(false);
        var state = await runner.RunAsync(stage, tasks, ct).ConfigureAwait(false);
        return Task.FromResult(state);
    }

    private static string NormalizeTag(string reference)
    {
        var parsed = ImageReference.Parse(reference);
        if (parsed.Digest is not null)
            throw new InvalidArgumentException("InvalidTag", $"invalid tag \"{reference}\": a tag cannot contain a digest", reference);
        return parsed.WithDefaultTag().ToString();
    }
}
