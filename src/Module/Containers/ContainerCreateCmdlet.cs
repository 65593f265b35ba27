using System.Collections;
using System.Management.Automation;
using ContainerPS.Engine.Containers;
using ContainerPS.Module.Completion;

namespace ContainerPS.Module.Containers;

/// <summary>
/// The docker create/run options shared by New-Container and Start-Container (its Image
/// set): everything that shapes a new container. -Image and -Name are declared by each
/// cmdlet, because Start-Container also has -Name for existing containers.
/// </summary>
public abstract class ContainerCreateCmdlet : ContainerCmdlet
{
    protected const string ImageSet = "Image";

    /// <summary>The command and its arguments, replacing the image's CMD: everything after the image.</summary>
    [Parameter(ParameterSetName = ImageSet, ValueFromRemainingArguments = true)]
    [Alias("Args", "ArgumentList")]
    public string[]? Command { get; set; }

    /// <summary>Replaces the image's ENTRYPOINT (and discards its CMD); '' clears it.</summary>
    [Parameter(ParameterSetName = ImageSet)]
    [AllowEmptyString]
    [AllowEmptyCollection]
    public string[]? Entrypoint { get; set; }

    /// <summary>Environment variables: a hashtable, or "KEY=value" strings; a bare "KEY" takes this session's value.</summary>
    [Parameter(ParameterSetName = ImageSet)]
    [Alias("e", "Env")]
    [KeyValueTransformation(NullForMissingValue = true)]
    public IDictionary? Environment { get; set; }

    /// <summary>"uid", "uid:gid", "name" or "name:group", resolved in the container's /etc/passwd.</summary>
    [Parameter(ParameterSetName = ImageSet)]
    [Alias("u")]
    [ValidateNotNullOrEmpty]
    public string? User { get; set; }

    /// <summary>The working directory inside the container (absolute).</summary>
    [Parameter(ParameterSetName = ImageSet)]
    [Alias("w", "Workdir")]
    [ValidateNotNullOrEmpty]
    public string? WorkingDirectory { get; set; }

    /// <summary>The container's host name; its short ID when not given.</summary>
    [Parameter(ParameterSetName = ImageSet)]
    [ValidateNotNullOrEmpty]
    public string? Hostname { get; set; }

    /// <summary>Labels: a hashtable, or "key=value" strings.</summary>
    [Parameter(ParameterSetName = ImageSet)]
    [Alias("l")]
    [KeyValueTransformation]
    public IDictionary? Label { get; set; }

    /// <summary>Gives the container a pseudo-terminal (docker -t).</summary>
    [Parameter(ParameterSetName = ImageSet)]
    [Alias("t")]
    public SwitchParameter Tty { get; set; }

    /// <summary>Removes the container when it exits (docker --rm).</summary>
    [Parameter(ParameterSetName = ImageSet)]
    [Alias("Rm")]
    public SwitchParameter AutoRemove { get; set; }

    /// <summary>no, on-failure[:max-retries], always or unless-stopped.</summary>
    [Parameter(ParameterSetName = ImageSet)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(RestartPolicyCompleter))]
    public string? RestartPolicy { get; set; }

    /// <summary>Memory limit in bytes; also "64m", "1g".</summary>
    [Parameter(ParameterSetName = ImageSet)]
    [Alias("m")]
    [ByteSizeTransformation]
    public long? Memory { get; set; }

    /// <summary>Memory plus swap in bytes ("128m"); -1 for unlimited swap.</summary>
    [Parameter(ParameterSetName = ImageSet)]
    [ByteSizeTransformation]
    public long? MemorySwap { get; set; }

    /// <summary>Relative CPU weight (cpu.shares, 2..262144; 1024 is the default weight).</summary>
    [Parameter(ParameterSetName = ImageSet)]
    public long? CpuShares { get; set; }

    /// <summary>Number of CPUs the container may use (1.5 = one and a half).</summary>
    [Parameter(ParameterSetName = ImageSet)]
    public double? Cpus { get; set; }

    /// <summary>Maximum number of processes; 0 or less for unlimited.</summary>
    [Parameter(ParameterSetName = ImageSet)]
    public long? PidsLimit { get; set; }

    /// <summary>Mounts the container's root file system read-only.</summary>
    [Parameter(ParameterSetName = ImageSet)]
    public SwitchParameter ReadOnly { get; set; }

    /// <summary>Capabilities to add ("NET_ADMIN", "ALL").</summary>
    [Parameter(ParameterSetName = ImageSet)]
    [ValidateNotNullOrEmpty]
    public string[]? CapAdd { get; set; }

    /// <summary>Capabilities to drop ("NET_RAW", "ALL").</summary>
    [Parameter(ParameterSetName = ImageSet)]
    [ValidateNotNullOrEmpty]
    public string[]? CapDrop { get; set; }

    /// <summary>The signal Stop-Container sends first (SIGTERM unless the image says otherwise).</summary>
    [Parameter(ParameterSetName = ImageSet)]
    [ValidateNotNullOrEmpty]
    public string? StopSignal { get; set; }

    /// <summary>Seconds Stop-Container waits after the stop signal before SIGKILL (default 10; -1 waits forever).</summary>
    [Parameter(ParameterSetName = ImageSet)]
    [ValidateRange(-1, int.MaxValue)]
    public int? StopTimeout { get; set; }

    /// <summary>The OCI runtime: builtin (the default), runc or crun.</summary>
    [Parameter(ParameterSetName = ImageSet)]
    [ValidateSet("builtin", "runc", "crun")]
    public string? Runtime { get; set; }

    /// <summary>bridge (the default), host, none, container:&lt;name&gt;, or a user-defined network's name.</summary>
    [Parameter(ParameterSetName = ImageSet)]
    [Alias("Net")]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(NetworkNameCompleter))]
    public string? Network { get; set; }

    /// <summary>Extra names the container answers to on its user-defined network.</summary>
    [Parameter(ParameterSetName = ImageSet)]
    [ValidateNotNullOrEmpty]
    public string[]? NetworkAlias { get; set; }

    /// <summary>Published ports: "8080:80", "127.0.0.1:5001:5000", "53/udp", "8000-8001:80-81".</summary>
    [Parameter(ParameterSetName = ImageSet)]
    [Alias("p")]
    [ValidateNotNullOrEmpty]
    public string[]? Publish { get; set; }

    /// <summary>Publishes every port the image EXPOSEs to a free host port.</summary>
    [Parameter(ParameterSetName = ImageSet)]
    public SwitchParameter PublishAll { get; set; }

    /// <summary>
    /// Volumes and bind mounts (docker -v): "/path" (anonymous volume), "name:/path[:ro]" (named
    /// volume, created when missing), "/host/dir:/path[:ro]" or "./dir:/path" (bind; a missing
    /// host directory is created). Modes: ro, rw, nocopy, shared/slave/private (binds).
    /// </summary>
    [Parameter(ParameterSetName = ImageSet)]
    [Alias("v")]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(VolumeNameCompleter))]
    public string[]? Volume { get; set; }

    /// <summary>docker --mount: "type=bind,source=/srv,target=/www,readonly", "type=volume,source=data,target=/data", "type=tmpfs,target=/run,tmpfs-size=64m".</summary>
    [Parameter(ParameterSetName = ImageSet)]
    [ValidateNotNullOrEmpty]
    public string[]? Mount { get; set; }

    /// <summary>tmpfs mounts (docker --tmpfs): "/run" or "/run:size=64m,mode=1777" (noexec, nosuid, nodev by default).</summary>
    [Parameter(ParameterSetName = ImageSet)]
    [ValidateNotNullOrEmpty]
    public string[]? Tmpfs { get; set; }

    /// <summary>
    /// Keeps the container's standard input open (docker -i). Declared here for every set:
    /// Start-Container also takes it for existing containers (docker start -i).
    /// </summary>
    [Parameter]
    [Alias("i")]
    public SwitchParameter Interactive { get; set; }

    /// <summary>The options for <see cref="ContainerManager.Create"/>, from the bound parameters.</summary>
    protected ContainerCreateOptions BuildOptions(string image, string? name)
    {
        var options = new ContainerCreateOptions
        {
            Image = image,
            Name = name,
            Command = Command is { Length: > 0 } ? Command : null,
            Entrypoint = Entrypoint,
            User = User,
            WorkingDir = WorkingDirectory,
            Hostname = Hostname,
            Tty = Tty.IsPresent,
            Interactive = Interactive.IsPresent,
            AutoRemove = AutoRemove.IsPresent,
            RestartPolicy = RestartPolicy ?? "no",
            Memory = Memory,
            MemorySwap = MemorySwap,
            CpuShares = CpuShares,
            Cpus = Cpus,
            PidsLimit = PidsLimit,
            ReadOnlyRootfs = ReadOnly.IsPresent,
            CapAdd = CapAdd ?? Array.Empty<string>(),
            CapDrop = CapDrop ?? Array.Empty<string>(),
            StopSignal = StopSignal,
            StopTimeout = StopTimeout,
            Runtime = Runtime,
            Network = Network,
            NetworkAliases = NetworkAlias ?? Array.Empty<string>(),
            Publish = Publish ?? Array.Empty<string>(),
            PublishAll = PublishAll.IsPresent,
        };

        if (Environment is not null)
        {
            foreach (DictionaryEntry entry in Environment)
            {
                var key = KeyText(entry.Key);
                // A bare "KEY" (null value): the engine takes this process's variable, as docker run -e KEY does.
                options.Environment[key] = entry.Value is null ? null : Text(entry.Value);
            }
        }

        // Bind sources relative to the current location ("./data:/data"), as docker run -v resolves them.
        options.Volumes = (Volume ?? Array.Empty<string>()).Select(ResolveBindSource).ToList();
        options.Mounts = (Mount ?? Array.Empty<string>()).ToList();
        options.Tmpfs = (Tmpfs ?? Array.Empty<string>()).ToList();

        if (Label is not null)
        {
            foreach (DictionaryEntry entry in Label)
                options.Labels[KeyText(entry.Key)] = entry.Value is null ? "" : Text(entry.Value);
        }

        return options;
    }

    private string ResolveBindSource(string spec)
    {
        var colon = spec.IndexOf(':');
        if (colon <= 0 || !(spec[0] == '.' || spec[0] == '~')) return spec;
        return SessionState.Path.GetUnresolvedProviderPathFromPSPath(spec[..colon]).TrimEnd('/') + spec[colon..];
    }

    private static string KeyText(object key) => Text(key);

    private static string Text(object value) =>
        LanguagePrimitives.ConvertTo<string>(value is PSObject pso ? pso.BaseObject : value);
}
