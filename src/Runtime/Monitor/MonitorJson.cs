using System.Text;
using System.Text.Json;

namespace ContainerPS.Runtime.Monitor;

/// <summary>
/// The monitor's side of its JSON contract (monitor.json in; state.json, the ready line and
/// control-socket replies out; requests in), written with Utf8JsonReader/Utf8JsonWriter only.
/// The long-lived monitor process must not carry System.Text.Json's serializer: its metadata
/// and generic instantiations are most of what every monitor's private memory was (hydrated
/// runtime data and GC heap). The bytes are the ones <see cref="MonitorJsonContext"/> reads and
/// writes (camelCase names, enums as names, nulls omitted); a unit test holds the two together.
/// </summary>
public static class MonitorJson
{
    private static readonly JsonReaderOptions ReaderOptions = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };

    /// <exception cref="JsonException">Not a JSON object of the expected shape.</exception>
    public static MonitorConfig ReadConfig(ReadOnlySpan<byte> json)
    {
        var c = new MonitorConfig();
        var r = new Utf8JsonReader(json, ReaderOptions);
        ForEachProperty(ref r, (ref Utf8JsonReader r, string name) =>
        {
            switch (name)
            {
                case "id": c.Id = String(ref r) ?? ""; break;
                case "containerDir": c.ContainerDir = String(ref r) ?? ""; break;
                case "bundle": c.Bundle = String(ref r) ?? ""; break;
                case "logPath": c.LogPath = String(ref r) ?? ""; break;
                case "tty": c.Tty = r.GetBoolean(); break;
                case "openStdin": c.OpenStdin = r.GetBoolean(); break;
                case "stdinOnce": c.StdinOnce = r.GetBoolean(); break;
                case "restartPolicy": c.RestartPolicy = String(ref r) ?? "no"; break;
                case "restartMaxRetries": c.RestartMaxRetries = r.GetInt32(); break;
                case "autoRemove": c.AutoRemove = r.GetBoolean(); break;
                case "runtime": c.Runtime = String(ref r) ?? "builtin"; break;
                case "rootfs": c.Rootfs = ReadMount(ref r); break;
                case "storeLock": c.StoreLock = String(ref r); break;
                case "waitForAttach": c.WaitForAttach = r.GetBoolean(); break;
                case "waitForNetwork": c.WaitForNetwork = r.GetBoolean(); break;
                case "netnsOnly": c.NetnsOnly = r.GetBoolean(); break;
                case "resources": c.Resources = r.TokenType == JsonTokenType.Null ? null : ReadLimits(ref r); break;
                case "netnsPath": c.NetnsPath = String(ref r); break;
                case "hostNetwork": c.HostNetwork = r.GetBoolean(); break;
                case "networkFile": c.NetworkFile = String(ref r); break;
                case "portFds": c.PortFds = r.GetInt32(); break;
                default: r.Skip(); break;
            }
        });
        return c;
    }

    /// <exception cref="JsonException">Not a JSON object of the expected shape.</exception>
    public static MonitorRequest ReadRequest(ReadOnlySpan<byte> json)
    {
        var q = new MonitorRequest();
        var r = new Utf8JsonReader(json, ReaderOptions);
        ForEachProperty(ref r, (ref Utf8JsonReader r, string name) =>
        {
            switch (name)
            {
                case "op": q.Op = String(ref r) ?? ""; break;
                case "signal": q.Signal = r.GetInt32(); break;
                case "timeoutSeconds": q.TimeoutSeconds = r.GetInt32(); break;
                case "rows": q.Rows = r.GetInt32(); break;
                case "cols": q.Cols = r.GetInt32(); break;
                case "stdin": q.Stdin = r.GetBoolean(); break;
                case "stdout": q.Stdout = r.GetBoolean(); break;
                case "stderr": q.Stderr = r.GetBoolean(); break;
                default: r.Skip(); break;
            }
        });
        return q;
    }

    public static byte[] Write(ContainerStateFile state) => Write(w => WriteState(w, state));

    public static byte[] Write(MonitorReady ready) => Write(w =>
    {
        w.WriteStartObject();
        w.WriteBoolean("ok", ready.Ok);
        w.WriteNumber("pid", ready.Pid);
        if (ready.Error is { } e) w.WriteString("error", e);
        w.WriteNumber("exitCode", ready.ExitCode);
        w.WriteEndObject();
    });

    public static byte[] Write(MonitorResponse response) => Write(w =>
    {
        w.WriteStartObject();
        w.WriteBoolean("ok", response.Ok);
        if (response.Error is { } e) w.WriteString("error", e);
        if (response.ExitCode is { } code) w.WriteNumber("exitCode", code);
        if (response.State is { } s)
        {
            w.WritePropertyName("state");
            WriteState(w, s);
        }
        w.WriteEndObject();
    });

    private static void WriteState(Utf8JsonWriter w, ContainerStateFile s)
    {
        w.WriteStartObject();
        w.WriteString("status", StatusName(s.Status));
        w.WriteNumber("pid", s.Pid);
        w.WriteNumber("monitorPid", s.MonitorPid);
        w.WriteNumber("exitCode", s.ExitCode);
        if (s.Error is { } e) w.WriteString("error", e);
        w.WriteBoolean("oomKilled", s.OomKilled);
        if (s.StartedAt is { } started) w.WriteString("startedAt", started);
        if (s.FinishedAt is { } finished) w.WriteString("finishedAt", finished);
        w.WriteNumber("restartCount", s.RestartCount);
        w.WriteBoolean("manualStop", s.ManualStop);
        if (s.Socket is { } socket) w.WriteString("socket", socket);
        w.WriteEndObject();
    }

    /// <summary>The enum's own names, as JsonStringEnumConverter writes them (no Enum.ToString reflection).</summary>
    private static string StatusName(ContainerStatus s) => s switch
    {
        ContainerStatus.Created => "Created",
        ContainerStatus.Running => "Running",
        ContainerStatus.Paused => "Paused",
        ContainerStatus.Restarting => "Restarting",
        ContainerStatus.Removing => "Removing",
        ContainerStatus.Exited => "Exited",
        ContainerStatus.Dead => "Dead",
        _ => throw new ArgumentOutOfRangeException(nameof(s), s, null),
    };

    private static MountDescription ReadMount(ref Utf8JsonReader r)
    {
        var m = new MountDescription();
        ForEachProperty(ref r, (ref Utf8JsonReader r, string name) =>
        {
            switch (name)
            {
                case "type": m.Type = String(ref r) ?? "overlay"; break;
                case "source": m.Source = String(ref r) ?? "overlay"; break;
                case "workingDirectory": m.WorkingDirectory = String(ref r); break;
                case "options": m.Options = Strings(ref r, "rootfs.options") ?? new List<string>(); break;
                default: r.Skip(); break;
            }
        });
        return m;
    }

    private static CgroupLimits ReadLimits(ref Utf8JsonReader r)
    {
        var l = new CgroupLimits();
        ForEachProperty(ref r, (ref Utf8JsonReader r, string name) =>
        {
            switch (name)
            {
                case "memoryLimit": l.MemoryLimit = Long(ref r); break;
                case "memorySwap": l.MemorySwap = Long(ref r); break;
                case "cpuShares": l.CpuShares = Long(ref r); break;
                case "cpuQuota": l.CpuQuota = Long(ref r); break;
                case "cpuPeriod": l.CpuPeriod = Long(ref r); break;
                case "pidsLimit": l.PidsLimit = Long(ref r); break;
                case "devices": l.Devices = Strings(ref r, "resources.devices"); break;
                default: r.Skip(); break;
            }
        });
        return l;
    }

    private delegate void PropertyReader(ref Utf8JsonReader reader, string name);

    /// <summary>Reads one object (the reader before it or on its StartObject), handing each property's value to <paramref name="read"/>.</summary>
    private static void ForEachProperty(ref Utf8JsonReader r, PropertyReader read)
    {
        if (r.TokenType == JsonTokenType.None && !r.Read()) throw new JsonException("empty JSON");
        if (r.TokenType != JsonTokenType.StartObject) throw new JsonException($"a JSON object expected, found {r.TokenType}");
        while (r.Read() && r.TokenType != JsonTokenType.EndObject)
        {
            if (r.TokenType != JsonTokenType.PropertyName) throw new JsonException($"a property name expected, found {r.TokenType}");
            var name = r.GetString()!;
            if (!r.Read()) throw new JsonException("truncated JSON");
            read(ref r, name);
        }
    }

    private static string? String(ref Utf8JsonReader r) => r.TokenType == JsonTokenType.Null ? null : r.GetString();

    private static long? Long(ref Utf8JsonReader r) => r.TokenType == JsonTokenType.Null ? null : r.GetInt64();

    /// <summary>An array of strings (null stays null); <paramref name="what"/> names it in the error.</summary>
    private static List<string>? Strings(ref Utf8JsonReader r, string what)
    {
        if (r.TokenType == JsonTokenType.Null) return null;
        if (r.TokenType != JsonTokenType.StartArray) throw new JsonException(what + ": an array expected");
        var list = new List<string>();
        while (r.Read() && r.TokenType != JsonTokenType.EndArray) list.Add(String(ref r) ?? "");
        return list;
    }

    private static byte[] Write(Action<Utf8JsonWriter> write)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(512);
        using (var w = new Utf8JsonWriter(buffer)) write(w);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>UTF-8 of a line (the control protocol's request lines arrive as text).</summary>
    public static MonitorRequest ReadRequest(string line) => ReadRequest(Encoding.UTF8.GetBytes(line));
}
