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
                return "EXPOSE map[" + string.Join(' ', expose.Ports.SelectMany(ImageConfigEditor.PortSpecs).Select(p => p + ":{}")) + "]";
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

    // One meaning per instruction: the same editor serves `--change` (commit, import).
    private static void ApplyMetadata(ImageConfigFile file, Instruction expanded, StageScope scope, bool cmdSetInStage)
    {
        var c = file.Config!;
        if (expanded is EnvInstruction)
        {
            // The stage scope holds the whole environment in order (base image ENV, then this stage's).
            c.Env = scope.EnvironmentList.ToList();
            return;
        }
        var editor = new ImageConfigEditor(c) { CmdSet = cmdSetInStage };
        if (!editor.Apply(expanded))
            throw new InvalidArgumentException("UnsupportedInstruction", $"{expanded.Name} is not supported by this builder", expanded.Name);
        if (editor.Author is { } author) file.Author = author;
    }
}
