using System.Text;
using System.Text.Json;
using ContainerPS.Engine.Errors;

namespace ContainerPS.Engine.Images;

/// <summary>
/// Applies the Dockerfile-style instructions of `docker import --change` / `docker commit
/// --change` (CMD, ENTRYPOINT, ENV, EXPOSE, HEALTHCHECK, LABEL, ONBUILD, STOPSIGNAL, USER,
/// VOLUME, WORKDIR) to an image config. Errors name the change that failed.
/// </summary>
public static class ConfigChange
{
    private static readonly string[] Allowed = { "CMD", "ENTRYPOINT", "ENV", "EXPOSE", "HEALTHCHECK", "LABEL", "ONBUILD", "STOPSIGNAL", "USER", "VOLUME", "WORKDIR" };

    public static void Apply(ContainerConfig config, string change)
    {
        var trimmed = change.Trim();
        var space = trimmed.IndexOfAny(new[] { ' ', '\t' });
        var keyword = (space < 0 ? trimmed : trimmed[..space]).ToUpperInvariant();
        var rest = space < 0 ? "" : trimmed[(space + 1)..].Trim();
        if (!Allowed.Contains(keyword))
            throw Invalid(change, $"{keyword} is not a valid change command (allowed: {string.Join(", ", Allowed)})");
        if (rest.Length == 0 && keyword != "HEALTHCHECK")
            throw Invalid(change, $"{keyword} requires at least one argument");
        switch (keyword)
        {
            case "CMD": config.Cmd = Command(rest, change); break;
            case "ENTRYPOINT": config.Entrypoint = Command(rest, change); break;
            case "ENV":
                config.Env ??= new();
                foreach (var (k, v) in Pairs(rest, change, "ENV"))
                {
                    config.Env.RemoveAll(e => e.StartsWith(k + "=", StringComparison.Ordinal));
                    config.Env.Add(k + "=" + v);
                }
                break;
            case "LABEL":
                config.Labels ??= new();
                foreach (var (k, v) in Pairs(rest, change, "LABEL")) config.Labels[k] = v;
                break;
            case "EXPOSE":
                config.ExposedPorts ??= new();
                foreach (var p in Words(rest, change))
                {
                    var port = p.Contains('/') ? p.ToLowerInvariant() : p + "/tcp";
                    var number = port[..port.IndexOf('/')];
                    if (!number.Split('-').All(n => int.TryParse(n, out var x) && x is > 0 and < 65536))
                        throw Invalid(change, $"invalid port \"{p}\"");
                    config.ExposedPorts[port] = EmptyObject.Instance;
                }
                break;
            case "VOLUME":
                config.Volumes ??= new();
                foreach (var v in rest.StartsWith('[') ? Json(rest, change) : Words(rest, change))
                {
                    if (v.Length == 0) throw Invalid(change, "VOLUME specified can not be an empty string");
                    config.Volumes[v] = EmptyObject.Instance;
                }
                break;
            case "USER": config.User = rest; break;
            case "WORKDIR":
                // Relative WORKDIRs build on the previous one, as in a Dockerfile.
                config.WorkingDir = rest.StartsWith('/') ? rest : Path.Combine(config.WorkingDir ?? "/", rest).Replace('\\', '/');
                break;
            case "STOPSIGNAL": config.StopSignal = rest; break;
            case "ONBUILD":
                config.OnBuild ??= new();
                config.OnBuild.Add(rest);
                break;
            case "HEALTHCHECK":
                config.Healthcheck = rest.Equals("NONE", StringComparison.OrdinalIgnoreCase) || rest.Length == 0
                    ? JsonSerializer.SerializeToElement(new { Test = new[] { "NONE" } })
                    : JsonSerializer.SerializeToElement(new { Test = HealthTest(rest, change) });
                break;
        }
    }

    private static List<string> HealthTest(string rest, string change)
    {
        if (!rest.StartsWith("CMD", StringComparison.OrdinalIgnoreCase))
            throw Invalid(change, "HEALTHCHECK must be NONE or CMD <command> (options are not supported in --change)");
        var cmd = rest[3..].Trim();
        return cmd.StartsWith('[') ? new List<string> { "CMD" }.Concat(Json(cmd, change)).ToList() : new List<string> { "CMD-SHELL", cmd };
    }

    /// <summary>JSON (exec) form, or shell form wrapped in /bin/sh -c, as a Dockerfile does.</summary>
    private static List<string> Command(string rest, string change)
    {
        if (rest.StartsWith('['))
        {
            try { return Json(rest, change); }
            catch (InvalidArgumentException) { /* not valid JSON: Docker falls back to shell form */ }
        }
        return new List<string> { "/bin/sh", "-c", rest };
    }

    private static List<string> Json(string rest, string change)
    {
        try
        {
            return JsonSerializer.Deserialize<List<string>>(rest) ?? throw Invalid(change, "empty JSON array");
        }
        catch (JsonException ex)
        {
            throw Invalid(change, "invalid JSON array: " + ex.Message);
        }
    }

    private static IEnumerable<(string, string)> Pairs(string rest, string change, string keyword)
    {
        var words = Words(rest, change);
        if (!words[0].Contains('='))
        {
            // Legacy "ENV key value with spaces" form.
            var space = rest.IndexOfAny(new[] { ' ', '\t' });
            if (space < 0) throw Invalid(change, $"{keyword} names can not be blank / must have two arguments");
            yield return (rest[..space], rest[(space + 1)..].Trim());
            yield break;
        }
        foreach (var w in words)
        {
            var eq = w.IndexOf('=');
            if (eq <= 0) throw Invalid(change, $"{keyword}: syntax error - can't find = in \"{w}\". Must be of the form: name=value");
            yield return (w[..eq], w[(eq + 1)..]);
        }
    }

    /// <summary>Splits on blanks, honouring double and single quotes and backslash escapes.</summary>
    private static List<string> Words(string s, string change)
    {
        var words = new List<string>();
        var sb = new StringBuilder();
        char quote = '\0';
        var inWord = false;
        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            if (quote != '\0')
            {
                if (c == quote) quote = '\0';
                else if (c == '\\' && quote == '"' && i + 1 < s.Length) sb.Append(s[++i]);
                else sb.Append(c);
                continue;
            }
            if (c is '"' or '\'') { quote = c; inWord = true; continue; }
            if (c == '\\' && i + 1 < s.Length) { sb.Append(s[++i]); inWord = true; continue; }
            if (char.IsWhiteSpace(c))
            {
                if (inWord) { words.Add(sb.ToString()); sb.Clear(); inWord = false; }
                continue;
            }
            sb.Append(c);
            inWord = true;
        }
        if (quote != '\0') throw Invalid(change, "unmatched quote");
        if (inWord) words.Add(sb.ToString());
        return words;
    }

    private static InvalidArgumentException Invalid(string change, string why) =>
        new("InvalidChange", $"invalid change \"{change}\": {why}", change);
}
