using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ContainerPS.Engine.Build.Instructions;
using ContainerPS.Engine.Build.Parsing;
using ContainerPS.Engine.Build.Stages;
using ContainerPS.Engine.Errors;
using ContainerPS.Engine.Images;
using ContainerPS.Engine.Progress;
using ContainerPS.Engine.Store;

namespace ContainerPS.Engine.Build.Execution;

/// <summary>
/// Builds one stage: its base (an image in the store, an earlier stage, or scratch), the base
/// image's ONBUILD triggers, then each instruction expanded with the stage's scope and run through
/// the cache. Every step reports progress and a status line ("CACHED" or its output).
/// </summary>
internal sealed partial class StageRunner
{
    /// <summary>The expanded instruction as canonical JSON for cache keys ("required" only matters when reading).</summary>
    private static readonly JsonSerializerOptions KeyJson = new()
    {
        TypeInfoResolver = new System.Text.Json.Serialization.Metadata.DefaultJsonTypeInfoResolver
        {
            Modifiers = { info => { foreach (var p in info.Properties) p.IsRequired = false; } },
        },
    };
    private readonly BuildSession _session;
    private readonly StageGraph _graph;
    private readonly GlobalScope _global;
    private readonly IReadOnlyList<BuildStage> _required;
    private readonly IProgress<ProgressReport>? _progress;

    public StageRunner(BuildSession session, StageGraph graph, GlobalScope global, IReadOnlyList<BuildStage> required, IProgress<ProgressReport>? progress)
    {
        _session = session;
        _graph = graph;
        _global = global;
        _required = required;
        _progress = progress;
    }

    private string File => _graph.Dockerfile.File;

    public async Task<BuildState> RunAsync(BuildStage stage, IReadOnlyDictionary<int, Task<BuildState>> done, CancellationToken ct)
    {
        var from = _graph.ExpandedFrom(stage.Index);
        BuildState state;
        if (_graph.BaseStage(stage.Index) is { } baseStage) state = await done[baseStage.Index].ConfigureAwait(false);
        else if (from.IsScratch) state = BuildSession.Scratch();
        else state = Wrap(from, () => _session.FromImage(from.BaseName));

        var scope = _global.BeginStage(stage, state.Runtime.Env);
        var instructions = new List<Instruction>();
        var triggers = state.Runtime.OnBuild ?? new List<string>();
        foreach (var trigger in triggers) instructions.Add(ParseTrigger(trigger, from));
        if (triggers.Count > 0)
        {
            // The triggers run once, in the image built on top; they are not inherited further.
            var config = state.CloneConfig();
            config.Config!.OnBuild = null;
            state = new BuildState(config, state.Layers, state.BaseImageId, BuildSession.Key(state.Key, "ONBUILD triggered"));
        }
        instructions.AddRange(stage.Instructions);

        // Steps are numbered as BuildKit numbers them: ARG is not a step of its own.
        var stageTag = _required.Count > 1 ? (stage.Name ?? "stage-" + stage.DisplayName) + " " : "";
        var total = instructions.Count(i => i is not ArgInstruction);
        var number = 0;
        var cmdSet = false;
        for (var i = 0; i < instructions.Count; i++)
        {
            ct.ThrowIfCancellationRequested();
            var instruction = instructions[i];
            var expanded = scope.Apply(instruction);
            if (instruction is ArgInstruction) continue; // its values reach RUN's environment and cache key
            number++;
            var name = $"[{stageTag}{number}/{total}] {Oneline(instruction.Original)}";
            var id = $"step:{stage.Index}:{i}";
            _progress?.Report(new ProgressReport(id, name, "Running", number - 1, total, ParentId: ImageBuilder.ProgressId));
            state = await StepAsync(state, stage, scope, instruction, expanded, name, cmdSet, done, ct).ConfigureAwait(false);
            if (expanded is CmdInstruction) cmdSet = true;
            _progress?.Report(new ProgressReport(id, name, "Done", number, total, Completed: true, ParentId: ImageBuilder.ProgressId));
        }
        return state;
    }

    private Instruction ParseTrigger(string trigger, FromInstruction from)
    {
        try
        {
            // A trigger may hold heredocs ("RUN <<EOF\n…\nEOF"); ParseTriggers also refuses
            // ONBUILD ONBUILD/FROM/MAINTAINER stored by other builders, as Docker does.
            var parsed = Dockerfile.ParseTriggers(new[] { trigger }, File);
            if (parsed.Count != 1) throw new DockerfileParseException(File, 1, 1, "an ONBUILD trigger must be one instruction");
            return parsed[0];
        }
        catch (DockerfileParseException e)
        {
            throw new DockerfileParseException(File, from.StartLine, from.EndLine, $"ONBUILD trigger of {from.BaseName} (\"{trigger}\"): {e.Reason}", e);
        }
    }

    private async Task<BuildState> StepAsync(BuildState state, BuildStage stage, StageScope scope, Instruction original, Instruction expanded,
        string name, bool cmdSet, IReadOnlyDictionary<int, Task<BuildState>> done, CancellationToken ct)
    {
        var step = new StepInfo(name, File, original.StartLine, CreatedBy(expanded, scope, state));
        var text = JsonSerializer.Serialize(expanded, expanded.GetType(), KeyJson);
        Digest Key(params string[] extra) => BuildSession.Key(state.Key, new[] { expanded.Name, text }.Concat(extra).ToArray());
        try
        {
            switch (expanded)
            {
                case RunInstruction run:
                {
                    var env = scope.RunEnvironment().Select(e => e.Split('=', 2)).Where(p => p.Length == 2)
                        .ToDictionary(p => p[0], p => p[1], StringComparer.Ordinal);
                    var argv = RunArgv(run.Command, state.Runtime.Shell);
                    var key = Key(string.Join('\0', scope.Args.Select(a => a.Key + "=" + a.Value)), "network=" + (run.Network ?? _session.Options.Network ?? "default"), _session.MountsDigest(run.Mounts));
                    return await Cached(step, key, k => _session.RunAsync(state, k, step, argv, env, ct, run.Network, run.Mounts)).ConfigureAwait(false);
                }
                case FileInstruction file:
                    return await CopyAsync(state, stage, file, step, text, done, ct).ConfigureAwait(false);
                case WorkdirInstruction workdir:
                    return await Cached(step, Key(), k => _session.WorkdirAsync(state, k, step, workdir.Path, ct)).ConfigureAwait(false);
                default:
                    return await Cached(step, Key(), k => Task.FromResult(_session.Metadata(state, k, step.CreatedBy, c => ApplyMetadata(c, expanded, scope, cmdSet)))).ConfigureAwait(false);
            }
        }
        catch (EngineException e) when (e is not BuildStepFailedException && e is not DockerfileParseException && !e.Message.StartsWith(File + ":", StringComparison.Ordinal))
        {
            throw Located(e, original);
        }
    }

    private async Task<BuildState> Cached(StepInfo step, Digest key, Func<Digest, Task<BuildState>> execute)
    {
        var (state, cached) = await _session.CachedAsync(key, execute).ConfigureAwait(false);
        _session.Say(step.Name, "status", cached ? $"{step.Name} CACHED" : $"{step.Name} DONE");
        return state;
    }

    /// <summary>RUN's argv: exec form as is; shell form through SHELL; heredocs as BuildKit runs them.</summary>
    internal static IReadOnlyList<string> RunArgv(CommandLine command, IReadOnlyList<string>? shell)
    {
        if (command.Heredocs.Count == 0 || command.IsExecForm) return command.ToArgv(shell);
        var sh = shell is { Count: > 0 } ? shell : CommandLine.DefaultShell;
        var line = string.Join(' ', command.Arguments);
        if (command.Heredocs.Count == 1 && IsOnlyHeredoc(line, command.Heredocs[0].Name))
            return sh.Append(command.Heredocs[0].Text).ToList(); // the document is the script
        var script = new StringBuilder(line).Append('\n');
        foreach (var doc in command.Heredocs) script.Append(doc.Content).Append(doc.Name).Append('\n');
        return sh.Append(script.ToString()).ToList();
    }

    private static bool IsOnlyHeredoc(string line, string name)
    {
        var t = line.Trim().Replace("\"", "", StringComparison.Ordinal).Replace("'", "", StringComparison.Ordinal);
        return t == "<<" + name || t == "<<-" + name;
    }

    private static string Oneline(string text) => text.Replace('\n', ' ').Trim();

    private T Wrap<T>(Instruction at, Func<T> action)
    {
        try
        {
            return action();
        }
        catch (EngineException e) when (e is not DockerfileParseException)
        {
            throw Located(e, at);
        }
    }

    /// <summary>The same error (same type, kind and ErrorId) with the Dockerfile, line and instruction in front of its message.</summary>
    private EngineException Located(EngineException e, Instruction at)
    {
        var message = $"{File}:{at.StartLine}: {Oneline(at.Original)}: {e.Message}";
        return e switch
        {
            NotFoundException => new NotFoundException(e.ErrorId, message, e.Target),
            InvalidArgumentException => new InvalidArgumentException(e.ErrorId, message, e.Target, e),
            ConflictException => new ConflictException(e.ErrorId, message, e.Target, e.Kind),
            _ => new EngineException(e.Kind, e.ErrorId, message, e.Target, e),
        };
    }

    internal static string Hex(byte[] data) => Convert.ToHexString(SHA256.HashData(data)).ToLowerInvariant();

    internal static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
