namespace ContainerPS.Engine.Build.Instructions;

/// <summary>
/// One `RUN --mount=…` (type=bind|cache|tmpfs|secret|ssh, target, source, from, readonly, id,
/// sharing, mode, uid, gid, required, size). <see cref="Options"/> keeps every key as written
/// (lower-cased keys) so the executor can refuse what it does not support by name.
/// </summary>
public sealed record RunMount(string Type, string? Target, string? Source, string? From, bool ReadOnly, IReadOnlyDictionary<string, string> Options)
{
    /// <summary>Parses the CSV value of --mount (BuildKit's defaults: bind, readonly for bind).</summary>
    /// <exception cref="InstructionParseException">unknown type or malformed field.</exception>
    public static RunMount Parse(string spec)
    {
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var field in SplitCsv(spec))
        {
            if (field.Length == 0) continue;
            var eq = field.IndexOf('=');
            var key = (eq < 0 ? field : field[..eq]).Trim().ToLowerInvariant();
            var value = eq < 0 ? "" : field[(eq + 1)..];
            if (eq < 0 && key is not ("readonly" or "ro" or "rw" or "readwrite" or "required"))
                throw new InstructionParseException($"invalid field '{field}' must be a key=value pair");
            options[key] = value;
        }
        var type = options.TryGetValue("type", out var t) ? t.ToLowerInvariant() : "bind";
        if (type is not ("bind" or "cache" or "tmpfs" or "secret" or "ssh"))
            throw new InstructionParseException($"unsupported mount type \"{type}\"");
        string? Pick(params string[] keys)
        {
            foreach (var k in keys) if (options.TryGetValue(k, out var v)) return v;
            return null;
        }
        var target = Pick("target", "dst", "destination");
        var source = Pick("source", "src");
        var from = Pick("from");
        var readOnly = type == "bind";
        if (Pick("readonly", "ro") is { } ro) readOnly = ro.Length == 0 || ro.Equals("true", StringComparison.OrdinalIgnoreCase);
        if (Pick("rw", "readwrite") is { } rw) readOnly = !(rw.Length == 0 || rw.Equals("true", StringComparison.OrdinalIgnoreCase));
        if (target is null && type is not ("secret" or "ssh"))
            throw new InstructionParseException("mount destination not specified");
        return new RunMount(type, target, source, from, readOnly, options);
    }

    private static IEnumerable<string> SplitCsv(string spec)
    {
        var field = new System.Text.StringBuilder();
        var quoted = false;
        foreach (var c in spec)
        {
            if (c == '"') { quoted = !quoted; continue; }
            if (c == ',' && !quoted)
            {
                yield return field.ToString();
                field.Clear();
                continue;
            }
            field.Append(c);
        }
        if (quoted) throw new InstructionParseException($"invalid mount \"{spec}\": unterminated quote");
        yield return field.ToString();
    }
}
