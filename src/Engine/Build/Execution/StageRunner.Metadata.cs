using System.Text.Json;
using ContainerPS.Engine.Build.Instructions;
using ContainerPS.Engine.Build.Stages;
using ContainerPS.Engine.Errors;
using ContainerPS.Engine.Images;

namespace ContainerPS.Engine.Build.Execution;

internal sealed partial class StageRunner
{
    /// <summary>
    /// The history text of a step, BuildKit's style: "RUN /bin/sh -c make # buildkit" (with
    /// "|N A=1 …" for the ARGs in scope), "COPY src dest # buildkit", and the instruction itself
    /// for metadata ("ENV A=1", "CMD [\"sh\"]", "EXPOSE map[80/tcp:{}]").
    /// </summary>
    private static string CreatedBy(Instruction expanded, StageScope scope, BuildState state)
    {
        switch (expanded)
        {
            case RunInstruction run:
            {
                var args = scope.Args;
                var prefix = args.Count > 0 ? $"|{args.Count} " + string.Join(' ', args.Select(a => a.Key + "=" + a.Value)) + " " : "";
                return "RUN " + prefix + string.Join(' ', RunArgv(run.Command, state.Runtime.Shell)) + " # buildkit";
            }
            case FileInstruction file:
            {
                var flags = new List<string>();
                if (file is CopyInstruction { From: { } from }) flags.Add("--from=" + from);
                if (file.Chown is { } chown) flags.Add("--chown=" + chown);
                if (file.Chmod is { } chmod) flags.Add("--chmod=" + chmod);
                var sources = file.Sources.Concat(file.InlineSources.Select(s => s.Path));
                return $"{file.Name} {string.Join(' ', flags.Concat(sources).Append(file.Destination))} # buildkit";
            }
            case EnvInstruction env:
                return "ENV " + string.Join(' ', env.Variables.Select(v => v.Key + "=" + v.Value));
            case LabelInstruction label:
                return "LABEL " + string.Join(' ', label.Labels.Select(v => v.Key + "=" + v.Value));
            case CmdInstruction cmd:
                return "CMD " + GoList(cmd.Command.ToArgv(state.Runtime.Shell));
            case EntrypointInstruction entrypoint:
                return "ENTRYPOINT " + GoList(entrypoint.Command.ToArgv(state.Runtime.Shell));
            case ExposeInstruction expose:
                return "EXPOSE map[" + string.Join(' ', ExposedPorts(expose.Ports).Select(p => p + ":{}")) + "]";
            case VolumeInstruction volume:
                return "VOLUME [" + string.Join(' ', volume.Volumes) + "]";
            case ShellInstruction shell:
                return "SHELL [" + string.Join(' ', shell.Shell) + "]";
            case WorkdirInstruction workdir:
                return "WORKDIR " + BuildSession.WorkdirPath(state, workdir.Path);
            default:
                return expanded.Original.Replace('\n', ' ').Trim();
        }
    }

    private static string GoList(IEnumerable<string> items) => "[" + string.Join(' ', items.Select(i => JsonSerializer.Serialize(i))) + "]";

    private static void ApplyMetadata(ImageConfigFile file, Instruction expanded, StageScope scope, bool cmdSetInStage)
    {
        var c = file.Config!;
        switch (expanded)
        {
            case EnvInstruction:
                c.Env = scope.EnvironmentList.ToList();
                break;
            case LabelInstruction label:
                c.Labels ??= new Dictionary<string, string>(StringComparer.Ordinal);
                foreach (var kv in label.Labels) c.Labels[kv.Key] = kv.Value;
                break;
            case CmdInstruction cmd:
                c.Cmd = cmd.Command.ToArgv(c.Shell).ToList();
                break;
            case EntrypointInstruction entrypoint:
                c.Entrypoint = entrypoint.Command.ToArgv(c.Shell).ToList();
                // An ENTRYPOINT resets a CMD inherited from the base image (not one set in this stage), as Docker does.
                if (!cmdSetInStage) c.Cmd = null;
                break;
            case ExposeInstruction expose:
                c.ExposedPorts ??= new Dictionary<string, EmptyObject>(StringComparer.Ordinal);
                foreach (var port in ExposedPorts(expose.Ports)) c.ExposedPorts[port] = new EmptyObject();
                break;
            case UserInstruction user:
                c.User = user.User;
                break;
            case VolumeInstruction volume:
                c.Volumes ??= new Dictionary<string, EmptyObject>(StringComparer.Ordinal);
                foreach (var v in volume.Volumes)
                {
                    if (v.Length == 0) throw new InvalidArgumentException("InvalidVolume", "VOLUME specified can not be an empty string", v);
                    c.Volumes[v] = new EmptyObject();
                }
                break;
            case StopSignalInstruction signal:
                c.StopSignal = signal.Signal;
                break;
            case ShellInstruction shell:
                c.Shell = shell.Shell.ToList();
                break;
            case HealthcheckInstruction health:
                c.Healthcheck = HealthcheckJson(health.Health);
                break;
            case MaintainerInstruction maintainer:
                file.Author = maintainer.Maintainer;
                break;
            case OnbuildInstruction onbuild:
                (c.OnBuild ??= new List<string>()).Add(onbuild.Expression);
                break;
            default:
                throw new InvalidArgumentException("UnsupportedInstruction", $"{expanded.Name} is not supported by this builder", expanded.Name);
        }
    }

    /// <summary>EXPOSE arguments as the config's keys: "80" → "80/tcp", ranges expanded, protocols lower-cased.</summary>
    internal static IEnumerable<string> ExposedPorts(IEnumerable<string> ports)
    {
        foreach (var raw in ports)
        {
            var slash = raw.IndexOf('/');
            var proto = slash < 0 ? "tcp" : raw[(slash + 1)..].ToLowerInvariant();
            var range = slash < 0 ? raw : raw[..slash];
            var dash = range.IndexOf('-');
            if (dash > 0 && int.TryParse(range[..dash], out var lo) && int.TryParse(range[(dash + 1)..], out var hi) && hi >= lo && hi - lo < 65536)
            {
                for (var p = lo; p <= hi; p++) yield return Invariant($"{p}/{proto}");
            }
            else if (int.TryParse(range, out var single) && single is > 0 and < 65536)
            {
                yield return Invariant($"{single}/{proto}");
            }
            else
            {
                throw new InvalidArgumentException("InvalidPort", $"invalid containerPort: {raw}", raw);
            }
        }
    }

    /// <summary>The config's Healthcheck object: Test, and durations in nanoseconds as Docker stores them.</summary>
    private static JsonElement HealthcheckJson(HealthcheckConfig h)
    {
        var o = new Dictionary<string, object>(StringComparer.Ordinal) { ["Test"] = h.Test };
        if (h.Interval is { } i) o["Interval"] = i.Ticks * 100;
        if (h.Timeout is { } t) o["Timeout"] = t.Ticks * 100;
        if (h.StartPeriod is { } sp) o["StartPeriod"] = sp.Ticks * 100;
        if (h.StartInterval is { } si) o["StartInterval"] = si.Ticks * 100;
        if (h.Retries is { } r) o["Retries"] = r;
        return JsonSerializer.SerializeToElement(o);
    }
}
