using ContainerPS.Engine.Store;

namespace ContainerPS.Engine.Build.Execution;

public sealed partial class BuildSession
{
    /// <summary>The absolute form of a WORKDIR argument: relative paths continue the previous WORKDIR.</summary>
    public static string WorkdirPath(BuildState parent, string path)
    {
        if (path.StartsWith('/')) return "/" + string.Join('/', LayeredView.Split(path));
        var current = string.IsNullOrEmpty(parent.Runtime.WorkingDir) ? "/" : parent.Runtime.WorkingDir!;
        return "/" + string.Join('/', LayeredView.Split(current.TrimEnd('/') + "/" + path));
    }

    /// <summary>
    /// WORKDIR: sets the working directory and, as BuildKit does, creates it when the image lacks
    /// it — then (and only then) the step adds a layer holding the new directories.
    /// </summary>
    public async Task<BuildState> WorkdirAsync(BuildState parent, Digest key, StepInfo step, string path, CancellationToken ct)
    {
        var absolute = WorkdirPath(parent, path);
        var view = new LayeredView(parent.Chains.Reverse().Select(c => Images.LayerStore.DiffPath(c)).ToList());
        var resolved = view.Resolve(absolute, followLast: true);
        if (view.LStat(resolved) is { Status.IsDirectory: true })
            return Metadata(parent, key, step.CreatedBy, c => c.Config!.WorkingDir = absolute);
        var staging = Images.LayerStore.NewStaging();
        try
        {
            var copier = new LayerStager(Path.Combine(staging, "diff"), view, owner: null, mode: null);
            copier.EnsureDirectory(resolved, created: true);
            copier.FinishDirectories();
            return await AddLayerAsync(parent, key, step.CreatedBy, Path.Combine(staging, "diff"), staging, c => c.Config!.WorkingDir = absolute, ct).ConfigureAwait(false);
        }
        finally
        {
            Layers.LayerStore.RemoveTree(staging);
        }
    }
}
