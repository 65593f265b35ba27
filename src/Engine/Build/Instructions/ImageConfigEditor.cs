using System.Globalization;
using System.Text.Json;
using ContainerPS.Engine.Images;

namespace ContainerPS.Engine.Build.Instructions;

/// <summary>
/// Applies the metadata instructions (CMD ENTRYPOINT ENV EXPOSE HEALTHCHECK LABEL MAINTAINER
/// ONBUILD SHELL STOPSIGNAL USER VOLUME WORKDIR) to an image config with Docker's rules — the
/// builder and `--change` (commit, import) share it, so there is one meaning per instruction.
/// Instructions must already be expanded (<see cref="Stages.StageScope.Apply"/>).
/// </summary>
public sealed class ImageConfigEditor
{
    public ImageConfigEditor(ContainerConfig config) => Config = config;

    public ContainerConfig Config { get; }

    /// <summary>Set by MAINTAINER: the image's Author.</summary>
    public string? Author { get; private set; }

    /// <summary>Whether a CMD was given in this build/stage (ENTRYPOINT clears an inherited CMD otherwise, as Docker does).</summary>
    public bool CmdSet { get; set; }

    /// <summary>Applies a metadata instruction; returns false for the others (FROM RUN COPY ADD ARG), which it leaves alone.</summary>
    /// <exception cref="InstructionParseException">an invalid port in EXPOSE.</exception>
    public bool Apply(Instruction instruction)
    {
        var c = Config;
        switch (instruction)
        {
            case CmdInstruction cmd:
                c.Cmd = cmd.Command.ToArgv(c.Shell).ToList();
                CmdSet = true;
                return true;
            case EntrypointInstruction ep:
                // `ENTRYPOINT []` clears it.
                c.Entrypoint = ep.Command.Arguments.Count == 0 ? null : ep.Command.ToArgv(c.Shell).ToList();
                if (!CmdSet) c.Cmd = null;
                return true;
            case EnvInstruction env:
                c.Env ??= new List<string>();
                foreach (var v in env.Variables)
                {
                    var i = c.Env.FindIndex(e => e == v.Key || e.StartsWith(v.Key + "=", StringComparison.Ordinal));
                    if (i >= 0) c.Env[i] = v.Key + "=" + v.Value;
                    else c.Env.Add(v.Key + "=" + v.Value);
                }
                return true;
            case LabelInstruction label:
                c.Labels ??= new Dictionary<string, string>();
                foreach (var l in label.Labels) c.Labels[l.Key] = l.Value;
                return true;
            case ExposeInstruction expose:
                c.ExposedPorts ??= new Dictionary<string, EmptyObject>();
                foreach (var p in expose.Ports)
                    foreach (var port in PortSpecs(p)) c.ExposedPorts[port] = EmptyObject.Instance;
                return true;
            case VolumeInstruction volume:
                c.Volumes ??= new Dictionary<string, EmptyObject>();
                foreach (var v in volume.Volumes)
                {
                    if (v.Length == 0) throw new InstructionParseException("VOLUME specified can not be an empty string");
                    c.Volumes[v] = EmptyObject.Instance;
                }
                return true;
            case UserInstruction user:
                c.User = user.User;
                return true;
            case WorkdirInstruction workdir:
                c.WorkingDir = workdir.Resolve(c.WorkingDir);
                return true;
            case StopSignalInstruction stop:
                c.StopSignal = stop.Signal;
                return true;
            case OnbuildInstruction onbuild:
                c.OnBuild ??= new List<string>();
                c.OnBuild.Add(onbuild.Expression);
                return true;
            case HealthcheckInstruction health:
                c.Healthcheck = HealthcheckJson(health.Health);
                return true;
            case ShellInstruction shell:
                c.Shell = shell.Shell.ToList();
                return true;
            case MaintainerInstruction maintainer:
                Author = maintainer.Maintainer;
                return true;
            default:
                return false;
        }
    }

    /// <summary>The config's Healthcheck object as Docker writes it (durations in nanoseconds, zero values left out).</summary>
    public static JsonElement HealthcheckJson(HealthcheckConfig h)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream))
        {
            w.WriteStartObject();
            w.WriteStartArray("Test");
            foreach (var t in h.Test) w.WriteStringValue(t);
            w.WriteEndArray();
            void Duration(string name, TimeSpan? d)
            {
                if (d is { } v && v != TimeSpan.Zero) w.WriteNumber(name, GoDuration.ToNanoseconds(v));
            }
            Duration("Interval", h.Interval);
            Duration("Timeout", h.Timeout);
            Duration("StartPeriod", h.StartPeriod);
            Duration("StartInterval", h.StartInterval);
            if (h.Retries is { } r && r != 0) w.WriteNumber("Retries", r);
            w.WriteEndObject();
        }
        return JsonDocument.Parse(stream.ToArray()).RootElement.Clone();
    }

    /// <summary>
    /// Docker's nat.ParsePortSpecs for EXPOSE: "80", "80/udp", "8000-8002/tcp" (a range adds each port).
    /// </summary>
    /// <exception cref="InstructionParseException">not a port, a bad range or protocol.</exception>
    public static IReadOnlyList<string> PortSpecs(string spec)
    {
        var slash = spec.IndexOf('/');
        var proto = slash < 0 ? "tcp" : spec[(slash + 1)..].ToLowerInvariant();
        var ports = slash < 0 ? spec : spec[..slash];
        if (proto is not ("tcp" or "udp" or "sctp")) throw new InstructionParseException($"invalid proto: {proto}");
        var dash = ports.IndexOf('-');
        var (lo, hi) = dash < 0 ? (Port(ports, spec), Port(ports, spec)) : (Port(ports[..dash], spec), Port(ports[(dash + 1)..], spec));
        if (hi < lo) throw new InstructionParseException($"invalid range specified for container port: {ports}");
        var list = new List<string>();
        for (var p = lo; p <= hi; p++) list.Add(p.ToString(CultureInfo.InvariantCulture) + "/" + proto);
        return list;
    }

    private static int Port(string s, string spec) =>
        int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var p) && p is >= 0 and <= 65535
            ? p
            : throw new InstructionParseException($"invalid containerPort: {spec}");
}
