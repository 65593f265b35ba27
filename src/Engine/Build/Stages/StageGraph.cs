using ContainerPS.Engine.Build.Instructions;
using ContainerPS.Engine.Errors;

namespace ContainerPS.Engine.Build.Stages;

/// <summary>
/// Which stages depend on which: `FROM <earlier stage>`, `COPY --from=<stage name|index>` and
/// `RUN --mount=…,from=<stage>`. Names are matched case-insensitively after expansion (FROM with
/// the global scope; --from with the stage's own ARG/ENV instructions, the base image's ENV not
/// being known before it is pulled). A --from that names no stage is an image. Use
/// <see cref="Required"/> to skip what `-Target` does not need, in a valid build order.
/// </summary>
public sealed class StageGraph
{
    private readonly Dictionary<int, List<StageDependency>> _deps = new();
    private readonly Dictionary<int, FromInstruction> _from = new();

    private StageGraph(Dockerfile dockerfile) => Dockerfile = dockerfile;

    public Dockerfile Dockerfile { get; }

    /// <summary>Builds the graph.</summary>
    /// <exception cref="DockerfileParseException">bad substitution, or a circular dependency between stages.</exception>
    public static StageGraph Build(Dockerfile dockerfile, GlobalScope global)
    {
        var graph = new StageGraph(dockerfile);
        foreach (var stage in dockerfile.Stages)
        {
            var deps = graph._deps[stage.Index] = new List<StageDependency>();
            var from = global.ExpandFrom(stage.From);
            graph._from[stage.Index] = from;
            var baseStage = dockerfile.Stages.Take(stage.Index).LastOrDefault(s => s.Name is not null && s.Name.Equals(from.BaseName, StringComparison.OrdinalIgnoreCase));
            if (baseStage is not null) deps.Add(new StageDependency(stage.Index, baseStage.Index, "FROM", stage.From.StartLine));

            var scope = global.BeginStage(stage);
            foreach (var instruction in stage.Instructions)
            {
                var expanded = instruction is ArgInstruction or EnvInstruction ? scope.Apply(instruction) : instruction;
                string? reference = null;
                string reason = "";
                switch (instruction)
                {
                    case CopyInstruction { From: not null } copy:
                        reference = ((CopyInstruction)scope.Expand(copy)).From;
                        reason = "COPY --from";
                        break;
                    case RunInstruction run when run.MountSpecs.Count > 0:
                        foreach (var mount in ((RunInstruction)scope.Expand(run)).Mounts)
                        {
                            if (mount.From is null) continue;
                            if (graph.Resolve(mount.From, stage) is { } m)
                                deps.Add(new StageDependency(stage.Index, m.Index, "RUN --mount from", run.StartLine));
                        }
                        break;
                }
                _ = expanded;
                if (reference is not null && graph.Resolve(reference, stage) is { } target)
                {
                    if (target.Index == stage.Index)
                        throw new DockerfileParseException(dockerfile.File, instruction.StartLine, instruction.EndLine,
                            $"circular dependency detected on stage: {stage.DisplayName}");
                    deps.Add(new StageDependency(stage.Index, target.Index, reason, instruction.StartLine));
                }
            }
        }
        graph.CheckCycles();
        return graph;
    }

    /// <summary>The stage a `--from` value names: a stage name, else a stage index; null means an image.</summary>
    public BuildStage? Resolve(string reference, BuildStage? current = null)
    {
        if (Dockerfile.FindStage(reference) is { } named) return named;
        if (int.TryParse(reference, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var index)
            && index >= 0 && index < Dockerfile.Stages.Count && (current is null || index < current.Index))
            return Dockerfile.Stages[index];
        return null;
    }

    /// <summary>The FROM line of a stage, expanded with the global scope.</summary>
    public FromInstruction ExpandedFrom(int stageIndex) => _from[stageIndex];

    /// <summary>The earlier stage a stage is built on (`FROM builder`), or null when its base is an image or scratch.</summary>
    public BuildStage? BaseStage(int stageIndex) =>
        _deps[stageIndex].FirstOrDefault(d => d.Reason == "FROM") is { } d ? Dockerfile.Stages[d.On] : null;

    public IReadOnlyList<StageDependency> DependenciesOf(int stageIndex) => _deps[stageIndex];

    /// <summary>The stage `-Target` names (case-insensitive), or the last stage when null or empty.</summary>
    /// <exception cref="NotFoundException">no stage has that name.</exception>
    public BuildStage Target(string? target)
    {
        if (string.IsNullOrEmpty(target)) return Dockerfile.Stages[^1];
        return Dockerfile.FindStage(target)
            ?? throw new NotFoundException("BuildTargetNotFound", $"target stage \"{target}\" could not be found", target);
    }

    /// <summary>The stages needed to build <paramref name="target"/>, dependencies first; the target is last.</summary>
    /// <exception cref="NotFoundException">no stage has that name.</exception>
    public IReadOnlyList<BuildStage> Required(string? target = null)
    {
        var order = new List<BuildStage>();
        var seen = new HashSet<int>();
        void Visit(int i)
        {
            if (!seen.Add(i)) return;
            foreach (var d in _deps[i].OrderBy(d => d.On)) Visit(d.On);
            order.Add(Dockerfile.Stages[i]);
        }
        Visit(Target(target).Index);
        return order;
    }

    private void CheckCycles()
    {
        var state = new Dictionary<int, int>();   // 1 visiting, 2 done
        void Visit(int i)
        {
            state[i] = 1;
            foreach (var d in _deps[i])
            {
                if (state.GetValueOrDefault(d.On) == 1)
                    throw new DockerfileParseException(Dockerfile.File, d.Line, d.Line,
                        $"circular dependency detected on stage: {Dockerfile.Stages[d.On].DisplayName}");
                if (state.GetValueOrDefault(d.On) == 0) Visit(d.On);
            }
            state[i] = 2;
        }
        foreach (var s in Dockerfile.Stages) if (state.GetValueOrDefault(s.Index) == 0) Visit(s.Index);
    }
}
