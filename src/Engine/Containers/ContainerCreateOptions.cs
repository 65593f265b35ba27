using ContainerPS.Engine.Containers.Spec;
using ContainerPS.Engine.Errors;

namespace ContainerPS.Engine.Containers;

/// <summary>
/// What a user asks for when creating a container (docker create/run flags). The engine turns it,
/// with the image's config, into an OCI runtime spec (<see cref="ContainerSpecBuilder"/>) and a
/// container record. Nulls mean "not given": the image's value or Docker's default applies.
/// </summary>
public sealed class ContainerCreateOptions
{
    /// <summary>Image name or ID to create the container from.</summary>
    public string Image { get; set; } = "";

    public string? Name { get; set; }

    /// <summary>Arguments after the image (docker run IMAGE CMD...): they replace the image's CMD.</summary>
    public string[]? Command { get; set; }

    /// <summary>
    /// Replaces the image's ENTRYPOINT; setting it (even to an empty array) also discards the
    /// image's CMD, as Docker does. An empty array (or [""]) clears the entrypoint, like
    /// <c>--entrypoint ""</c>.
    /// </summary>
    public string[]? Entrypoint { get; set; }

    /// <summary>
    /// Variables set on top of the image's ENV. A null value takes the caller's own variable
    /// (<c>-e VAR</c>); when the caller has none the variable is unset in the container.
    /// </summary>
    public IDictionary<string, string?> Environment { get; set; } = new Dictionary<string, string?>(StringComparer.Ordinal);

    /// <summary>"uid", "uid:gid", "name" or "name:group", resolved in the container's /etc/passwd and /etc/group.</summary>
    public string? User { get; set; }

    /// <summary>Absolute working directory; the image's WORKDIR, else "/".</summary>
    public string? WorkingDir { get; set; }

    /// <summary>Host name; the first 12 characters of the container ID when null.</summary>
    public string? Hostname { get; set; }

    /// <summary>Allocate a pseudo-terminal (-t); also sets TERM=xterm.</summary>
    public bool Tty { get; set; }

    /// <summary>Keep stdin open (-i).</summary>
    public bool Interactive { get; set; }

    public IDictionary<string, string> Labels { get; set; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Remove the container when it exits (--rm).</summary>
    public bool AutoRemove { get; set; }

    /// <summary>"no", "on-failure[:max-retries]", "always" or "unless-stopped".</summary>
    public string RestartPolicy { get; set; } = "no";

    /// <summary>Memory limit in bytes (at least 6 MiB, as Docker requires).</summary>
    public long? Memory { get; set; }

    /// <summary>Memory plus swap in bytes; -1 for unlimited swap. Twice <see cref="Memory"/> when only that is set.</summary>
    public long? MemorySwap { get; set; }

    /// <summary>Relative CPU weight (cgroup cpu.shares; Docker clamps to 2..262144).</summary>
    public long? CpuShares { get; set; }

    /// <summary>Number of CPUs (1.5 = 150 ms of CPU time per 100 ms period).</summary>
    public double? Cpus { get; set; }

    /// <summary>Maximum number of processes; ≤ 0 means unlimited.</summary>
    public long? PidsLimit { get; set; }

    /// <summary>Mount the root filesystem read-only.</summary>
    public bool ReadOnlyRootfs { get; set; }

    /// <summary>Capabilities to add: "NET_ADMIN", "CAP_NET_ADMIN" or "ALL".</summary>
    public string[] CapAdd { get; set; } = Array.Empty<string>();

    /// <summary>Capabilities to drop: "NET_RAW", "CAP_NET_RAW" or "ALL".</summary>
    public string[] CapDrop { get; set; } = Array.Empty<string>();

    /// <summary>Signal sent to stop the container; the image's STOPSIGNAL, else SIGTERM.</summary>
    public string? StopSignal { get; set; }

    /// <summary>Seconds to wait after the stop signal before SIGKILL.</summary>
    public int? StopTimeout { get; set; }

    /// <summary>OCI runtime: null or "builtin" (the shim), "runc" or "crun".</summary>
    public string? Runtime { get; set; }

    /// <summary>docker run -v: "/dst" (anonymous volume), "name:/dst[:ro]", "/host:/dst[:ro]".</summary>
    public List<string> Volumes { get; set; } = new();

    /// <summary>docker run --mount: "type=bind,source=/x,target=/y,readonly"; types volume, bind, tmpfs.</summary>
    public List<string> Mounts { get; set; } = new();

    /// <summary>docker run --tmpfs: "/run" or "/run:size=64m,mode=1777".</summary>
    public List<string> Tmpfs { get; set; } = new();

    /// <summary>The parsed <see cref="Volumes"/>, <see cref="Mounts"/> and <see cref="Tmpfs"/>, in that order.</summary>
    /// <exception cref="InvalidArgumentException">A malformed spec (Docker's messages).</exception>
    public List<ContainerPS.Engine.Volumes.MountSpec> ParseMountSpecs() =>
        Volumes.Select(ContainerPS.Engine.Volumes.MountSpec.ParseVolume)
            .Concat(Mounts.Select(ContainerPS.Engine.Volumes.MountSpec.ParseMount))
            .Concat(Tmpfs.Select(ContainerPS.Engine.Volumes.MountSpec.ParseTmpfs)).ToList();
    /// <summary>docker run --network: "bridge" (default), "host", "none", "container:&lt;name|id&gt;" or a user-defined network.</summary>
    public string? Network { get; set; }

    /// <summary>Extra names the container answers to on user-defined networks (--network-alias).</summary>
    public string[] NetworkAliases { get; set; } = Array.Empty<string>();

    /// <summary>Published ports (-p): "8080:80", "127.0.0.1:5001:5000", "53/udp", "8000-8001:80-81".</summary>
    public string[] Publish { get; set; } = Array.Empty<string>();

    /// <summary>Publish every EXPOSE'd port to a free host port (-P).</summary>
    public bool PublishAll { get; set; }

    /// <summary>The runtime names <see cref="Runtime"/> accepts.</summary>
    public static IReadOnlyList<string> KnownRuntimes { get; } = new[] { "builtin", "runc", "crun" };

    /// <summary>
    /// Checks what can be checked without the image: restart policy, runtime, resources,
    /// environment names, working directory. Docker's messages where Docker has one.
    /// </summary>
    /// <exception cref="InvalidArgumentException">An option is malformed; the message names it and its value.</exception>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Image))
            throw new InvalidArgumentException("InvalidImage", "an image name or ID is required", Image);

        var policy = Spec.RestartPolicy.Parse(RestartPolicy);
        if (AutoRemove && !policy.IsNone)
            throw new InvalidArgumentException("ConflictingOptions",
                $"conflicting options: AutoRemove (--rm) and restart policy '{RestartPolicy}'", RestartPolicy);

        if (Runtime is not null && !KnownRuntimes.Contains(Runtime, StringComparer.Ordinal))
            throw new InvalidArgumentException("InvalidRuntime",
                $"unknown runtime '{Runtime}': use one of 'builtin', 'runc' or 'crun'", Runtime);

        ContainerSpecBuilder.ValidateResources(this, hostCpuCount: null);

        foreach (var key in Environment.Keys) ContainerSpecBuilder.ValidateEnvironmentName(key);

        if (!string.IsNullOrEmpty(WorkingDir) && !WorkingDir.StartsWith('/'))
            throw new InvalidArgumentException("InvalidWorkingDirectory",
                $"the working directory '{WorkingDir}' is invalid, it needs to be an absolute path", WorkingDir);

        ParseMountSpecs();
        var mode = Networking.NetworkMode.Parse(Network);
        foreach (var p in Publish) Networking.PortSpec.Parse(p);
        if ((Publish.Length > 0 || PublishAll) && mode.Kind is not Networking.NetworkModeKind.Bridge)
            throw new InvalidArgumentException("ConflictingOptions", $"conflicting options: port publishing and the network mode '{mode}'", Network);
        if (NetworkAliases.Length > 0 && !mode.IsUserDefined)
            throw new InvalidArgumentException("ConflictingOptions", "network-scoped aliases are only supported for user-defined networks", string.Join(",", NetworkAliases));
        if (mode.Kind == Networking.NetworkModeKind.Container && Hostname is not null)
            throw new InvalidArgumentException("ConflictingOptions", "conflicting options: hostname and the network mode", Hostname);

        if (StopTimeout is < -1)
            throw new InvalidArgumentException("InvalidStopTimeout", $"invalid stop timeout {StopTimeout}: use -1 (wait forever) or a number of seconds", StopTimeout);
    }
}
