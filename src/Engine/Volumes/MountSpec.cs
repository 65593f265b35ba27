using ContainerPS.Engine.Errors;

namespace ContainerPS.Engine.Volumes;

/// <summary>
/// A mount as the user asked for it, parsed from docker's three syntaxes: <c>-v</c>
/// (<see cref="ParseVolume"/>), <c>--mount</c> (<see cref="ParseMount"/>) and <c>--tmpfs</c>
/// (<see cref="ParseTmpfs"/>). Errors carry Docker's messages.
/// </summary>
public sealed record MountSpec
{
    public string Type { get; init; } = MountPoint.VolumeType;

    /// <summary>Volume name (null: anonymous) or absolute host path of a bind.</summary>
    public string? Source { get; init; }

    public string Target { get; init; } = "";
    public bool ReadOnly { get; init; }

    /// <summary>Do not fill a new empty volume with the image's content (volume-nocopy).</summary>
    public bool NoCopy { get; init; }

    public string? Propagation { get; init; }

    /// <summary>-v creates a missing bind source directory; --mount refuses it (as Docker).</summary>
    public bool CreateHostPath { get; init; }

    /// <summary>The mode text as given (-v's third field).</summary>
    public string Mode { get; init; } = "";

    /// <summary>tmpfs data options ("size=64m", "mode=1777") and flags ("exec").</summary>
    public IReadOnlyList<string> TmpfsOptions { get; init; } = Array.Empty<string>();

    private static readonly string[] Propagations = { "shared", "rshared", "slave", "rslave", "private", "rprivate" };
    private static readonly string[] IgnoredModes = { "z", "Z", "consistent", "cached", "delegated" };

    /// <summary>docker run -v: "/dst", "name:/dst[:mode]", "/host:/dst[:mode]"; mode: ro, rw, nocopy, z, Z, propagation.</summary>
    /// <exception cref="InvalidArgumentException">"InvalidVolumeSpec" and friends, with Docker's messages.</exception>
    public static MountSpec ParseVolume(string spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var parts = spec.Split(':');
        string? source = null, target, mode = "";
        switch (parts.Length)
        {
            case 1:
                target = parts[0];
                break;
            case 2 when IsMode(parts[1]):
                target = parts[0];
                mode = parts[1];
                break;
            case 2:
                (source, target) = (parts[0], parts[1]);
                break;
            case 3:
                (source, target, mode) = (parts[0], parts[1], parts[2]);
                break;
            default:
                throw Invalid(spec);
        }
        if (source is { Length: 0 } || target.Length == 0) throw Invalid(spec);
        CheckTarget(target, spec);

        var type = source is null ? MountPoint.VolumeType : source.StartsWith('/') ? MountPoint.BindType : MountPoint.VolumeType;
        if (type == MountPoint.VolumeType && source is not null) VolumeNames.Validate(source);

        bool ro = false, rw = false, nocopy = false;
        string? propagation = null;
        foreach (var m in mode.Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            if (m == "ro") ro = true;
            else if (m == "rw") rw = true;
            else if (m == "nocopy" && type == MountPoint.VolumeType) nocopy = true;
            else if (Propagations.Contains(m) && type == MountPoint.BindType && propagation is null) propagation = m;
            else if (IgnoredModes.Contains(m)) { }
            else throw new InvalidArgumentException("InvalidVolumeMode", $"invalid mode: {mode}", spec);
        }
        if (ro && rw) throw new InvalidArgumentException("InvalidVolumeMode", $"invalid mode: {mode}", spec);
        return new MountSpec
        {
            Type = type, Source = source, Target = Clean(target), ReadOnly = ro, NoCopy = nocopy,
            Propagation = propagation, CreateHostPath = true, Mode = mode,
        };
    }

    /// <summary>docker run --mount: "type=bind,source=/x,target=/y,readonly", type volume (default), bind or tmpfs.</summary>
    /// <exception cref="InvalidArgumentException">"InvalidMountSpec" with Docker's messages.</exception>
    public static MountSpec ParseMount(string spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        string type = MountPoint.VolumeType;
        string? source = null, target = null, propagation = null;
        bool ro = false, nocopy = false;
        var tmpfs = new List<string>();
        foreach (var field in spec.Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = field.IndexOf('=');
            var key = (eq < 0 ? field : field[..eq]).Trim().ToLowerInvariant();
            var value = eq < 0 ? null : field[(eq + 1)..].Trim();
            switch (key)
            {
                case "type":
                    type = value ?? "";
                    if (type is not (MountPoint.VolumeType or MountPoint.BindType or MountPoint.TmpfsType))
                        throw new InvalidArgumentException("InvalidMountSpec", $"invalid mount type \"{type}\" in '{spec}': use bind, volume or tmpfs", spec);
                    break;
                case "source" or "src":
                    source = value;
                    break;
                case "target" or "destination" or "dst":
                    target = value;
                    break;
                case "readonly" or "ro":
                    ro = Bool(value, field, spec);
                    break;
                case "volume-nocopy":
                    nocopy = Bool(value, field, spec);
                    break;
                case "bind-propagation":
                    if (value is null || !Propagations.Contains(value))
                        throw new InvalidArgumentException("InvalidMountSpec", $"invalid bind propagation \"{value}\" in '{spec}'", spec);
                    propagation = value;
                    break;
                case "tmpfs-size":
                    tmpfs.Add("size=" + (value ?? throw MissingValue(field, spec)));
                    break;
                case "tmpfs-mode":
                    tmpfs.Add("mode=" + (value ?? throw MissingValue(field, spec)));
                    break;
                default:
                    throw new InvalidArgumentException("InvalidMountSpec", $"unexpected key '{key}' in '{field}'", spec);
            }
        }
        if (string.IsNullOrEmpty(target))
            throw new InvalidArgumentException("InvalidMountSpec", $"invalid mount config: target is required in '{spec}'", spec);
        CheckTarget(target, spec);
        switch (type)
        {
            case MountPoint.BindType:
                if (string.IsNullOrEmpty(source))
                    throw new InvalidArgumentException("InvalidMountSpec", "invalid mount config for type \"bind\": field Source must not be empty", spec);
                if (!source.StartsWith('/'))
                    throw new InvalidArgumentException("InvalidMountSpec", $"invalid mount config for type \"bind\": invalid mount path: '{source}' mount path must be absolute", spec);
                break;
            case MountPoint.TmpfsType:
                if (!string.IsNullOrEmpty(source))
                    throw new InvalidArgumentException("InvalidMountSpec", "invalid mount config for type \"tmpfs\": field Source must not be specified", spec);
                break;
            default:
                if (string.IsNullOrEmpty(source)) source = null;
                else VolumeNames.Validate(source);
                break;
        }
        if (propagation is not null && type != MountPoint.BindType)
            throw new InvalidArgumentException("InvalidMountSpec", $"invalid mount config for type \"{type}\": bind-propagation is for bind mounts", spec);
        return new MountSpec
        {
            Type = type, Source = source, Target = Clean(target), ReadOnly = ro, NoCopy = nocopy, Propagation = propagation,
            Mode = ro ? "ro" : "", TmpfsOptions = tmpfs,
        };
    }

    /// <summary>docker run --tmpfs: "/run" or "/run:size=64m,mode=1777" (noexec, nosuid, nodev unless "exec" etc. say otherwise).</summary>
    public static MountSpec ParseTmpfs(string spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var colon = spec.IndexOf(':');
        var target = colon < 0 ? spec : spec[..colon];
        var options = colon < 0 ? Array.Empty<string>() : spec[(colon + 1)..].Split(',', StringSplitOptions.RemoveEmptyEntries);
        if (target.Length == 0) throw new InvalidArgumentException("InvalidTmpfsSpec", $"invalid tmpfs specification: '{spec}'", spec);
        CheckTarget(target, spec);
        var ro = options.Contains("ro");
        return new MountSpec
        {
            Type = MountPoint.TmpfsType, Target = Clean(target), ReadOnly = ro, Mode = string.Join(',', options),
            TmpfsOptions = new[] { "noexec", "nosuid", "nodev" }.Concat(options.Where(o => o is not ("ro" or "rw"))).ToList(),
        };
    }

    private static bool IsMode(string text) =>
        text.Split(',').All(m => m is "ro" or "rw" or "nocopy" || Propagations.Contains(m) || IgnoredModes.Contains(m));

    private static void CheckTarget(string target, string spec)
    {
        if (!target.StartsWith('/'))
            throw new InvalidArgumentException("InvalidMountTarget", $"invalid mount config: invalid mount path: '{target}' mount path must be absolute", spec);
        if (Clean(target) == "/")
            throw new InvalidArgumentException("InvalidMountTarget", "invalid specification: destination can't be '/'", spec);
    }

    private static bool Bool(string? value, string field, string spec) => value?.ToLowerInvariant() switch
    {
        null or "" or "1" or "true" => true,
        "0" or "false" => false,
        _ => throw new InvalidArgumentException("InvalidMountSpec", $"invalid value for '{field}' in '{spec}': use true or false", spec),
    };

    private static InvalidArgumentException MissingValue(string field, string spec) =>
        new("InvalidMountSpec", $"invalid field '{field}' must be a key=value pair", spec);

    private static InvalidArgumentException Invalid(string spec) =>
        new("InvalidVolumeSpec", $"invalid volume specification: '{spec}'", spec);

    /// <summary>Lexically cleaned absolute path.</summary>
    public static string Clean(string path) => Runtime.Init.SecureJoin.Clean(path);
}
