using ContainerPS.Engine.Images;

namespace ContainerPS.Engine.Containers.Commit;

/// <summary>
/// The config a committed image gets, by moby's rules (daemon/commit.go): the container's config
/// — what it was created with, merged onto its image's config by <c>merge()</c> the way
/// <c>docker create</c> records it — with the <c>--change</c> instructions applied on top.
/// </summary>
/// <remarks>
/// moby's merge, field by field: User, WorkingDir and StopSignal come from the container when it
/// set them; Env is the container's list plus the image's variables it does not set; Labels are
/// the image's overlaid by the container's; an ENTRYPOINT override drops the image's ENTRYPOINT
/// and CMD (the container's own arguments remain), otherwise command-line arguments replace the
/// image's CMD; ExposedPorts, Volumes and Healthcheck come from the image (the create options have
/// none yet). ONBUILD, SHELL and ArgsEscaped are not part of a container's config, so a committed
/// image does not carry them, as with Docker.
/// </remarks>
internal static class CommitConfig
{
    /// <summary>The committed image's config.</summary>
    /// <param name="resolvedEnvironment">
    /// The value a <c>-e NAME</c> option (null value) had when the container was created, or null
    /// when the caller had no such variable (it was unset in the container).
    /// </param>
    /// <exception cref="Errors.InvalidArgumentException">A change is not a valid instruction (ErrorId "InvalidChange").</exception>
    public static ContainerConfig Build(ContainerConfig? image, ContainerCreateOptions options, Func<string, string?> resolvedEnvironment, IEnumerable<string> changes)
    {
        var config = ContainerConfigOf(image, options, resolvedEnvironment);
        ConfigChange.ApplyAll(config, changes);
        return config;
    }

    /// <summary>What moby keeps as the container's Config: the create options merged onto the image's config.</summary>
    public static ContainerConfig ContainerConfigOf(ContainerConfig? image, ContainerCreateOptions options, Func<string, string?> resolvedEnvironment)
    {
        image ??= new ContainerConfig();
        var config = new ContainerConfig
        {
            User = NullIfEmpty(options.User) ?? image.User,
            WorkingDir = NullIfEmpty(options.WorkingDir) ?? image.WorkingDir,
            StopSignal = NullIfEmpty(options.StopSignal) ?? image.StopSignal,
            ExposedPorts = image.ExposedPorts is null ? null : new(image.ExposedPorts),
            Volumes = image.Volumes is null ? null : new(image.Volumes),
            Healthcheck = image.Healthcheck?.Clone(),
        };

        // Env: the container's variables (in its order), then the image's it does not name.
        var env = new List<string>();
        var named = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, given) in options.Environment)
        {
            named.Add(name);
            var value = given ?? resolvedEnvironment(name);
            if (value is not null) env.Add(name + "=" + value); // "-e NAME" with NAME unset: gone from the container
        }
        foreach (var entry in image.Env ?? Enumerable.Empty<string>())
        {
            var eq = entry.IndexOf('=');
            if (!named.Contains(eq < 0 ? entry : entry[..eq])) env.Add(entry);
        }
        config.Env = env.Count > 0 ? env : null;

        var labels = new Dictionary<string, string>(image.Labels ?? new Dictionary<string, string>(), StringComparer.Ordinal);
        foreach (var (key, value) in options.Labels) labels[key] = value;
        config.Labels = labels.Count > 0 ? labels : null;

        // The same resolution as the container's process (ContainerSpecBuilder.ResolveArgs).
        var cmd = options.Command is { Length: > 0 } ? options.Command.ToList() : null;
        if (options.Entrypoint is { } entrypoint)
        {
            config.Entrypoint = entrypoint.Length == 0 || entrypoint is [""] ? null : entrypoint.ToList();
            config.Cmd = cmd;
        }
        else
        {
            config.Entrypoint = image.Entrypoint is null ? null : new List<string>(image.Entrypoint);
            config.Cmd = cmd ?? (image.Cmd is null ? null : new List<string>(image.Cmd));
        }
        return config;
    }

    /// <summary>The history entry's created_by: the container's CMD joined by spaces (moby: strings.Join(Config.Cmd, " ")).</summary>
    public static string CreatedBy(ContainerConfig containerConfig) =>
        containerConfig.Cmd is { } cmd ? string.Join(' ', cmd) : "";

    private static string? NullIfEmpty(string? s) => string.IsNullOrEmpty(s) ? null : s;
}
