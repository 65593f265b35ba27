using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using ContainerPS.Runtime.IO;

namespace ContainerPS.Runtime.Spec;

/// <summary>
/// Reads and writes <c>config.json</c> with the source-generated <see cref="SpecJsonContext"/>
/// (AOT-safe). Output omits null members (Go's omitempty), is indented, and leaves non-ASCII and
/// HTML characters in env values unescaped. Files are written temp + fsync + rename, so a reader
/// (the shim, runc) sees the old or the new spec, never half of one.
/// </summary>
public static class SpecJson
{
    /// <summary>The conventional file name inside a bundle.</summary>
    public const string FileName = "config.json";

    private static readonly SpecJsonContext Context = new(new JsonSerializerOptions
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        ReadCommentHandling = JsonCommentHandling.Disallow,
        AllowTrailingCommas = false,
    });

    public static byte[] SerializeToUtf8Bytes(RuntimeSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return JsonSerializer.SerializeToUtf8Bytes(spec, Context.RuntimeSpec);
    }

    /// <summary>A process alone: runc's and crun's <c>exec --process</c> file.</summary>
    public static byte[] SerializeToUtf8Bytes(SpecProcess process)
    {
        ArgumentNullException.ThrowIfNull(process);
        return JsonSerializer.SerializeToUtf8Bytes(process, Context.SpecProcess);
    }

    public static string Serialize(RuntimeSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return JsonSerializer.Serialize(spec, Context.RuntimeSpec);
    }

    /// <summary>Parses a spec; <paramref name="source"/> names the document in errors.</summary>
    /// <exception cref="RuntimeSpecException">The JSON is malformed or is not a runtime spec.</exception>
    public static RuntimeSpec Deserialize(string json, string? source = null)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            return Check(JsonSerializer.Deserialize(json, Context.RuntimeSpec), source);
        }
        catch (JsonException ex)
        {
            throw Invalid(source, ex);
        }
    }

    /// <inheritdoc cref="Deserialize(string, string?)"/>
    public static RuntimeSpec Deserialize(ReadOnlySpan<byte> utf8Json, string? source = null)
    {
        try
        {
            return Check(JsonSerializer.Deserialize(utf8Json, Context.RuntimeSpec), source);
        }
        catch (JsonException ex)
        {
            throw Invalid(source, ex);
        }
    }

    /// <summary>Reads a config.json.</summary>
    /// <exception cref="RuntimeSpecException">The file is missing, unreadable or not a valid spec; the message names it.</exception>
    public static RuntimeSpec Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new RuntimeSpecException($"{path}: cannot read OCI runtime spec: {ex.Message}", path, ex);
        }
        return Deserialize(bytes, path);
    }

    /// <summary>Writes a config.json atomically (temp file beside it, fsync, rename, fsync of the directory).</summary>
    /// <exception cref="RuntimeSpecException">The file could not be written; the message names it.</exception>
    public static void Save(RuntimeSpec spec, string path) => Save(spec, path, durable: true);

    /// <summary>As <see cref="Save(RuntimeSpec, string)"/>; without fsync when <paramref name="durable"/> is false (see <see cref="AtomicFile"/>).</summary>
    /// <exception cref="RuntimeSpecException">The file could not be written; the message names it.</exception>
    public static void Save(RuntimeSpec spec, string path, bool durable)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(path);
        var bytes = SerializeToUtf8Bytes(spec);
        try
        {
            AtomicFile.WriteAllBytes(path, bytes, durable);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new RuntimeSpecException($"{path}: cannot write OCI runtime spec: {ex.Message}", path, ex);
        }
    }

    private static RuntimeSpec Check(RuntimeSpec? spec, string? source)
    {
        if (spec is null) throw new RuntimeSpecException($"{source ?? FileName}: invalid OCI runtime spec: the document is null", source);
        if (string.IsNullOrEmpty(spec.OciVersion))
            throw new RuntimeSpecException($"{source ?? FileName}: invalid OCI runtime spec: \"ociVersion\" is empty", source);
        return spec;
    }

    private static RuntimeSpecException Invalid(string? source, JsonException ex) =>
        new($"{source ?? FileName}: invalid OCI runtime spec: {ex.Message}", source, ex);
}
