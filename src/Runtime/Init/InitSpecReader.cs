using System.Text.Json;
using ContainerPS.Runtime.Spec;

namespace ContainerPS.Runtime.Init;

/// <summary>
/// Reads the init's <see cref="InitRequest"/> straight from config.json with a
/// <see cref="Utf8JsonReader"/>: the same result as <see cref="SpecAdapter.FromSpec"/> over
/// <see cref="SpecJson.Load"/>, without the serializer. The init runs once per container start
/// and the serializer's first use (metadata for the whole spec) costs it ~1 ms of CPU; this walk
/// costs a few tens of µs. Only what the init uses is read; every other member is skipped, as
/// the serializer ignores members it does not know; absent members take the spec classes' defaults. A unit test holds the two paths together.
/// </summary>
public static class InitSpecReader
{
    /// <summary>Reads <paramref name="path"/> (a bundle's config.json); a relative root.path is resolved against its directory.</summary>
    /// <exception cref="RuntimeSpecException">The file is missing, unreadable or not a valid spec; the message names it.</exception>
    /// <exception cref="ContainerInitException">The spec has no process or an invalid device type.</exception>
    public static InitRequest Load(string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new RuntimeSpecException($"{path}: cannot read OCI runtime spec: {ex.Message}", path, ex);
        }
        return Read(bytes, Path.GetDirectoryName(path) ?? "/", path);
    }

    /// <inheritdoc cref="Load"/>
    public static InitRequest Read(ReadOnlySpan<byte> json, string bundle, string? source = null)
    {
        Document doc;
        try
        {
            var reader = new Utf8JsonReader(json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow, AllowTrailingCommas = false });
            doc = ReadDocument(ref reader);
        }
        catch (JsonException ex)
        {
            throw new RuntimeSpecException($"{source ?? SpecJson.FileName}: invalid OCI runtime spec: {ex.Message}", source, ex);
        }
        catch (Exception ex) when (ex is InvalidOperationException or FormatException)
        {
            // Utf8JsonReader's typed getters throw these for a value of the wrong kind.
            throw new RuntimeSpecException($"{source ?? SpecJson.FileName}: invalid OCI runtime spec: {ex.Message}", source, new JsonException(ex.Message, ex));
        }
        if (doc.IsNull) throw new RuntimeSpecException($"{source ?? SpecJson.FileName}: invalid OCI runtime spec: the document is null", source);
        if (string.IsNullOrEmpty(doc.OciVersion))
            throw new RuntimeSpecException($"{source ?? SpecJson.FileName}: invalid OCI runtime spec: \"ociVersion\" is empty", source);

        var process = doc.Process ?? throw new ContainerInitException("config.json has no process");
        var root = doc.RootPath ?? "rootfs";
        var rootfs = new RootfsRequest
        {
            RootfsPath = Path.IsPathRooted(root) ? root : Path.Combine(bundle, root),
            Cwd = process.Cwd,
            Mounts = doc.Mounts ?? [],
            Devices = (doc.Devices ?? []).Select(d => new DeviceRequest(
                d.Path,
                d.Type.Length == 1 ? d.Type[0] : throw new ContainerInitException($"device {d.Path}: invalid type \"{d.Type}\""),
                d.Major, d.Minor, d.FileMode ?? 0x1B6, d.Uid ?? 0, d.Gid ?? 0)).ToList(),
            MaskedPaths = doc.MaskedPaths ?? [],
            ReadonlyPaths = doc.ReadonlyPaths ?? [],
            ReadonlyRoot = doc.RootReadonly ?? false,
            RootfsPropagation = doc.RootfsPropagation,
            Hostname = doc.Hostname,
            Sysctl = doc.Sysctl ?? new Dictionary<string, string>(),
        };
        var request = new ProcessRequest
        {
            Args = process.Args ?? [],
            Env = process.Env ?? [],
            Cwd = string.IsNullOrEmpty(process.Cwd) ? "/" : process.Cwd,
            Uid = process.Uid,
            Gid = process.Gid,
            AdditionalGids = process.AdditionalGids ?? [],
            Umask = process.Umask,
            Capabilities = process.Capabilities,
            Rlimits = process.Rlimits ?? [],
            NoNewPrivileges = process.NoNewPrivileges,
            OomScoreAdj = process.OomScoreAdj,
        };
        return new InitRequest(rootfs, request);
    }

    private sealed class Document
    {
        public bool IsNull;
        public string? OciVersion, Hostname, RootPath, RootfsPropagation;
        public bool? RootReadonly;
        public ProcessPart? Process;
        public List<MountRequest>? Mounts;
        public List<DevicePart>? Devices;
        public List<string>? MaskedPaths, ReadonlyPaths;
        public Dictionary<string, string>? Sysctl;
    }

    private sealed class ProcessPart
    {
        public List<string>? Args, Env;
        public string? Cwd = "/"; // SpecProcess.Cwd's default when the member is absent
        public uint Uid, Gid;
        public uint? Umask;
        public List<uint>? AdditionalGids;
        public CapabilityRequest? Capabilities;
        public List<RlimitRequest>? Rlimits;
        public bool NoNewPrivileges;
        public int? OomScoreAdj;
    }

    private sealed record DevicePart(string Path, string Type, long Major, long Minor, uint? FileMode, uint? Uid, uint? Gid);

    private static Document ReadDocument(ref Utf8JsonReader r)
    {
        var doc = new Document();
        Next(ref r);
        if (r.TokenType == JsonTokenType.Null) { doc.IsNull = true; return doc; }
        Expect(ref r, JsonTokenType.StartObject, "the document");
        while (NextProperty(ref r, out var name))
        {
            switch (name)
            {
                case "ociVersion": doc.OciVersion = String(ref r); break;
                case "hostname": doc.Hostname = String(ref r); break;
                case "root":
                    if (IsNull(ref r)) break;
                    Expect(ref r, JsonTokenType.StartObject, "root");
                    while (NextProperty(ref r, out var p))
                    {
                        if (p == "path") doc.RootPath = String(ref r);
                        else if (p == "readonly") doc.RootReadonly = Bool(ref r);
                        else r.Skip();
                    }
                    break;
                case "mounts": doc.Mounts = List(ref r, ReadMount); break;
                case "process": doc.Process = IsNull(ref r) ? null : ReadProcess(ref r); break;
                case "linux":
                    if (IsNull(ref r)) break;
                    Expect(ref r, JsonTokenType.StartObject, "linux");
                    while (NextProperty(ref r, out var p))
                    {
                        switch (p)
                        {
                            case "devices": doc.Devices = List(ref r, ReadDevice); break;
                            case "maskedPaths": doc.MaskedPaths = Strings(ref r); break;
                            case "readonlyPaths": doc.ReadonlyPaths = Strings(ref r); break;
                            case "rootfsPropagation": doc.RootfsPropagation = String(ref r); break;
                            case "sysctl": doc.Sysctl = StringMap(ref r); break;
                            default: r.Skip(); break;
                        }
                    }
                    break;
                default: r.Skip(); break;
            }
        }
        return doc;
    }

    private static ProcessPart ReadProcess(ref Utf8JsonReader r)
    {
        Expect(ref r, JsonTokenType.StartObject, "process");
        var p = new ProcessPart();
        while (NextProperty(ref r, out var name))
        {
            switch (name)
            {
                case "args": p.Args = Strings(ref r); break;
                case "env": p.Env = Strings(ref r); break;
                case "cwd": p.Cwd = String(ref r); break;
                case "noNewPrivileges": p.NoNewPrivileges = Bool(ref r) ?? throw Null("process.noNewPrivileges"); break;
                case "oomScoreAdj": p.OomScoreAdj = IsNull(ref r) ? null : r.GetInt32(); break;
                case "rlimits": p.Rlimits = List(ref r, ReadRlimit); break;
                case "capabilities":
                    if (IsNull(ref r)) { p.Capabilities = null; break; }
                    Expect(ref r, JsonTokenType.StartObject, "process.capabilities");
                    List<string>? bounding = null, effective = null, inheritable = null, permitted = null, ambient = null;
                    while (NextProperty(ref r, out var c))
                    {
                        switch (c)
                        {
                            case "bounding": bounding = Strings(ref r); break;
                            case "effective": effective = Strings(ref r); break;
                            case "inheritable": inheritable = Strings(ref r); break;
                            case "permitted": permitted = Strings(ref r); break;
                            case "ambient": ambient = Strings(ref r); break;
                            default: r.Skip(); break;
                        }
                    }
                    p.Capabilities = new CapabilityRequest
                    {
                        Bounding = bounding ?? [], Effective = effective ?? [], Inheritable = inheritable ?? [],
                        Permitted = permitted ?? [], Ambient = ambient ?? [],
                    };
                    break;
                case "user":
                    if (IsNull(ref r)) break;
                    Expect(ref r, JsonTokenType.StartObject, "process.user");
                    while (NextProperty(ref r, out var u))
                    {
                        switch (u)
                        {
                            case "uid": p.Uid = NotNull(ref r, "process.user.uid").GetUInt32(); break;
                            case "gid": p.Gid = NotNull(ref r, "process.user.gid").GetUInt32(); break;
                            case "umask": p.Umask = IsNull(ref r) ? null : r.GetUInt32(); break;
                            case "additionalGids": p.AdditionalGids = List(ref r, static (ref Utf8JsonReader x) => NotNull(ref x, "process.user.additionalGids").GetUInt32()); break;
                            default: r.Skip(); break;
                        }
                    }
                    break;
                default: r.Skip(); break;
            }
        }
        return p;
    }

    private static MountRequest ReadMount(ref Utf8JsonReader r)
    {
        Expect(ref r, JsonTokenType.StartObject, "mounts[]");
        string? destination = null, type = null, source = null;
        List<string>? options = null;
        while (NextProperty(ref r, out var name))
        {
            switch (name)
            {
                case "destination": destination = String(ref r); break;
                case "type": type = String(ref r); break;
                case "source": source = String(ref r); break;
                case "options": options = Strings(ref r); break;
                default: r.Skip(); break;
            }
        }
        return new MountRequest(destination ?? "", type, source, options ?? []);
    }

    private static DevicePart ReadDevice(ref Utf8JsonReader r)
    {
        Expect(ref r, JsonTokenType.StartObject, "linux.devices[]");
        string? path = null, type = null;
        long major = 0, minor = 0;
        uint? mode = null, uid = null, gid = null;
        while (NextProperty(ref r, out var name))
        {
            switch (name)
            {
                case "path": path = String(ref r); break;
                case "type": type = String(ref r); break;
                case "major": major = NotNull(ref r, "linux.devices[].major").GetInt64(); break;
                case "minor": minor = NotNull(ref r, "linux.devices[].minor").GetInt64(); break;
                case "fileMode": mode = IsNull(ref r) ? null : r.GetUInt32(); break;
                case "uid": uid = IsNull(ref r) ? null : r.GetUInt32(); break;
                case "gid": gid = IsNull(ref r) ? null : r.GetUInt32(); break;
                default: r.Skip(); break;
            }
        }
        return new DevicePart(path ?? "", type ?? "c", major, minor, mode, uid, gid);
    }

    private static RlimitRequest ReadRlimit(ref Utf8JsonReader r)
    {
        Expect(ref r, JsonTokenType.StartObject, "process.rlimits[]");
        string? type = null;
        ulong soft = 0, hard = 0;
        while (NextProperty(ref r, out var name))
        {
            switch (name)
            {
                case "type": type = String(ref r); break;
                case "soft": soft = NotNull(ref r, "process.rlimits[].soft").GetUInt64(); break;
                case "hard": hard = NotNull(ref r, "process.rlimits[].hard").GetUInt64(); break;
                default: r.Skip(); break;
            }
        }
        return new RlimitRequest(type ?? "", soft, hard);
    }

    private delegate T ItemReader<T>(ref Utf8JsonReader r);

    /// <summary>An array (null reads as null); the reader is on the property's value when called.</summary>
    private static List<T>? List<T>(ref Utf8JsonReader r, ItemReader<T> item)
    {
        if (IsNull(ref r)) return null;
        Expect(ref r, JsonTokenType.StartArray, "an array");
        var list = new List<T>();
        while (true)
        {
            Next(ref r);
            if (r.TokenType == JsonTokenType.EndArray) return list;
            list.Add(item(ref r));
        }
    }

    private static List<string>? Strings(ref Utf8JsonReader r) => List(ref r, static (ref Utf8JsonReader x) => String(ref x) ?? throw Null("a string array item"));

    private static Dictionary<string, string>? StringMap(ref Utf8JsonReader r)
    {
        if (IsNull(ref r)) return null;
        Expect(ref r, JsonTokenType.StartObject, "an object");
        var map = new Dictionary<string, string>();
        while (NextProperty(ref r, out var name)) map[name] = String(ref r) ?? throw Null(name);
        return map;
    }

    private static string? String(ref Utf8JsonReader r)
    {
        if (r.TokenType == JsonTokenType.Null) return null;
        if (r.TokenType != JsonTokenType.String) throw new JsonException($"expected a string, found {r.TokenType} at byte {r.TokenStartIndex}");
        return r.GetString();
    }

    private static bool? Bool(ref Utf8JsonReader r) => r.TokenType switch
    {
        JsonTokenType.Null => null,
        JsonTokenType.True => true,
        JsonTokenType.False => false,
        _ => throw new JsonException($"expected true or false, found {r.TokenType} at byte {r.TokenStartIndex}"),
    };

    private static bool IsNull(ref Utf8JsonReader r) => r.TokenType == JsonTokenType.Null;

    private static ref Utf8JsonReader NotNull(ref Utf8JsonReader r, string what)
    {
        if (r.TokenType == JsonTokenType.Null) throw Null(what);
        if (r.TokenType != JsonTokenType.Number) throw new JsonException($"{what}: expected a number, found {r.TokenType} at byte {r.TokenStartIndex}");
        return ref r;
    }

    /// <summary>Moves to the next property of the current object: false at its end; true with the reader on the value.</summary>
    private static bool NextProperty(ref Utf8JsonReader r, out string name)
    {
        Next(ref r);
        if (r.TokenType == JsonTokenType.EndObject) { name = ""; return false; }
        name = r.GetString()!;
        Next(ref r);
        return true;
    }

    private static void Next(ref Utf8JsonReader r)
    {
        if (!r.Read()) throw new JsonException("unexpected end of the document");
    }

    private static void Expect(ref Utf8JsonReader r, JsonTokenType type, string what)
    {
        if (r.TokenType != type) throw new JsonException($"{what}: expected {type}, found {r.TokenType} at byte {r.TokenStartIndex}");
    }

    private static JsonException Null(string what) => new($"{what}: null is not allowed here");
}
