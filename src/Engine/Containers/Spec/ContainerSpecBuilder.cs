using ContainerPS.Engine.Errors;
using ContainerPS.Runtime.Spec;

namespace ContainerPS.Engine.Containers.Spec;

/// <summary>
/// Turns an image config plus <see cref="ContainerCreateOptions"/> into the OCI runtime spec
/// (config.json) that the built-in runtime, runc and crun all execute, following Docker's rules:
/// ENTRYPOINT/CMD merging, environment defaults, user resolution in the container's own
/// /etc/passwd, capability add/drop, resources, Docker's mounts, masked and read-only paths.
/// The caller-dependent inputs (environment, resource limits, capability bounding set, CPU
/// count) are properties so tests are hermetic; they default to the calling process's.
/// </summary>
public sealed partial class ContainerSpecBuilder
{
    /// <summary>Parent of every container's cgroup: cgroupsPath is "/containerps/&lt;id&gt;".</summary>
    public const string CgroupParent = "/containerps";

    /// <summary>Annotation holding the image ID the container was created from.</summary>
    public const string ImageAnnotation = "io.containerps.image";

    /// <summary>
    /// Sets no_new_privs on the container process (default true). Docker and podman default to
    /// false (it is opt-in through --security-opt no-new-privileges); ContainerPS defaults to the
    /// safer setting, which stops setuid/setcap binaries and LSM transitions from gaining
    /// privileges (runc's own <c>runc spec</c> template also sets it). Images that need
    /// <c>sudo</c>/<c>su</c>/setuid <c>ping</c> inside must set this to false.
    /// </summary>
    public bool NoNewPrivileges { get; init; } = true;

    /// <summary>Looks up the caller's environment for <c>-e VAR</c> entries (null value).</summary>
    public Func<string, string?> LookupEnvironment { get; init; } = System.Environment.GetEnvironmentVariable;

    /// <summary>The caller's resource limits; the default RLIMIT_NOFILE/NPROC never exceed their hard limits. Null: set no rlimits.</summary>
    public ProcessLimits? CallerLimits { get; init; } = ProcessLimits.ReadCurrent();

    /// <summary>
    /// The capabilities the caller can still grant (its bounding set): "ALL" expands to these, and
    /// adding one outside it is refused. Null: every capability the kernel headers name.
    /// </summary>
    public IReadOnlyList<string>? CallerCapabilities { get; init; } = LinuxCapabilityNames.ReadCallerBoundingSet();

    /// <summary>CPUs available, the upper bound of <see cref="ContainerCreateOptions.Cpus"/>.</summary>
    public int HostCpuCount { get; init; } = System.Environment.ProcessorCount;

    /// <summary>
    /// Whether the memory cgroup can limit swap (cgroup v1 needs memory.memsw.*; v2 has
    /// memory.swap.max). Without it a memory limit leaves swap unlimited, as Docker does.
    /// </summary>
    public bool SwapLimitSupported { get; init; } = DetectSwapLimit();

    /// <summary>Builds the spec for one container.</summary>
    /// <exception cref="InvalidArgumentException">
    /// An option is invalid, there is no command ("no command specified"), the user or group is
    /// unknown in the container, or the working directory is not absolute.
    /// </exception>
    public RuntimeSpec Build(ContainerSpecInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var options = input.Options;
        var image = input.ImageConfig;
        ValidateResources(options, HostCpuCount); // first: it knows the CPU count for Docker's message
        options.Validate();

        var args = ResolveArgs(image, options);
        var hostname = string.IsNullOrEmpty(options.Hostname)
            ? input.ContainerId[..Math.Min(12, input.ContainerId.Length)]
            : options.Hostname;
        var user = ResolveUser(string.IsNullOrEmpty(options.User) ? image?.User : options.User, input.Rootfs);
        var env = BuildEnvironment(image?.Env, options.Environment, hostname, options.Tty, user.Home);
        var cwd = ResolveWorkingDir(image?.WorkingDir, options.WorkingDir);
        var caps = ResolveCapabilities(options.CapAdd, options.CapDrop);

        return new RuntimeSpec
        {
            OciVersion = SpecDefaults.OciVersion,
            Process = new SpecProcess
            {
                Terminal = options.Tty,
                User = user.User,
                Args = args,
                Env = env,
                Cwd = cwd,
                Capabilities = CapabilitySets(caps, user.User.Uid),
                Rlimits = DefaultRlimits(),
                NoNewPrivileges = NoNewPrivileges,
                OomScoreAdj = 0, // Docker always writes HostConfig.OomScoreAdj, 0 by default
            },
            Root = new SpecRoot { Path = "rootfs", Readonly = options.ReadOnlyRootfs },
            Hostname = hostname,
            Mounts = Mounts(input, options.ReadOnlyRootfs),
            Annotations = new Dictionary<string, string>(StringComparer.Ordinal) { [ImageAnnotation] = input.ImageId },
            Linux = new SpecLinux
            {
                Resources = Resources(options),
                CgroupsPath = CgroupParent + "/" + input.ContainerId,
                Namespaces = SpecDefaults.Namespaces(),
                MaskedPaths = SpecDefaults.MaskedPaths.ToList(),
                ReadonlyPaths = SpecDefaults.ReadonlyPaths.ToList(),
            },
        };
    }

    /// <summary>
    /// Docker's mounts, then the container's resolv.conf, hostname and hosts files bound over the
    /// image's (read-only when the rootfs is, like Docker's network mounts).
    /// </summary>
    private static List<SpecMount> Mounts(ContainerSpecInput input, bool readOnlyRootfs)
    {
        var mounts = SpecDefaults.Mounts();
        void Bind(string? source, string destination)
        {
            if (source is null) return;
            var options = new List<string> { "rbind" };
            if (readOnlyRootfs) options.Add("ro");
            options.Add("rprivate");
            mounts.Add(new SpecMount { Destination = destination, Type = "bind", Source = source, Options = options });
        }
        Bind(input.ResolvConfPath, "/etc/resolv.conf");
        Bind(input.HostnamePath, "/etc/hostname");
        Bind(input.HostsPath, "/etc/hosts");
        mounts.RemoveAll(m => input.UserMounts.Any(u => u.Destination == m.Destination));
        mounts.AddRange(input.UserMounts);
        return mounts;
    }

    /// <summary>
    /// The working directory: the option, else the image's WORKDIR, else "/"; cleaned like Go's
    /// path.Clean. Relative paths are refused with Docker's message.
    /// </summary>
    /// <exception cref="InvalidArgumentException">The directory is not absolute.</exception>
    public static string ResolveWorkingDir(string? imageWorkingDir, string? workingDir)
    {
        var dir = !string.IsNullOrEmpty(workingDir) ? workingDir : imageWorkingDir;
        if (string.IsNullOrEmpty(dir)) return "/";
        if (!dir.StartsWith('/'))
            throw new InvalidArgumentException("InvalidWorkingDirectory",
                $"the working directory '{dir}' is invalid, it needs to be an absolute path", dir);
        var parts = new List<string>();
        foreach (var p in dir.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (p == ".") continue;
            if (p == "..") { if (parts.Count > 0) parts.RemoveAt(parts.Count - 1); continue; }
            parts.Add(p);
        }
        return "/" + string.Join('/', parts);
    }

    /// <summary>
    /// RLIMIT_NOFILE and RLIMIT_NPROC, soft = hard = min(1048576, the caller's hard limit). A
    /// runtime cannot raise a hard limit without CAP_SYS_RESOURCE (which root lacks on this kind
    /// of machine), so podman's fixed 1048576 would fail; capping keeps the spec runnable.
    /// </summary>
    public List<SpecRlimit>? DefaultRlimits()
    {
        if (CallerLimits is null) return null;
        var limits = new List<SpecRlimit>();
        foreach (var type in new[] { SpecRlimit.NoFile, SpecRlimit.NProc })
        {
            if (CallerLimits.Get(type) is not { } caller) continue;
            var value = Math.Min(SpecDefaults.MaxDefaultRlimit, caller.Hard);
            limits.Add(new SpecRlimit { Type = type, Soft = value, Hard = value });
        }
        return limits.Count == 0 ? null : limits;
    }

    private static bool DetectSwapLimit()
    {
        if (File.Exists("/sys/fs/cgroup/memory/memory.memsw.limit_in_bytes")) return true; // v1 / hybrid
        return File.Exists("/sys/fs/cgroup/cgroup.controllers");                              // pure v2
    }
}
