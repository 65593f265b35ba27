namespace ContainerPS.Runtime.Spec;

/// <summary>
/// Docker's defaults for a Linux container (moby oci/defaults.go and oci/caps/defaults.go), plus
/// what runtime-spec config-linux.md requires every runtime to supply. Members that hand out spec
/// objects return fresh instances: callers may change them.
/// </summary>
public static class SpecDefaults
{
    /// <summary>What runc 1.1.5 writes in <c>runc spec</c>; crun 1.8.1 accepts it too.</summary>
    public const string OciVersion = "1.0.2-dev";

    /// <summary>Docker's PATH for images that set none (moby oci.DefaultPathEnv).</summary>
    public const string PathEnv = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    /// <summary>
    /// Upper bound for the default RLIMIT_NOFILE/RLIMIT_NPROC (podman's 1048576). The effective
    /// default is capped at the caller's hard limit, which an unprivileged-ish root cannot raise.
    /// </summary>
    public const ulong MaxDefaultRlimit = 1048576;

    /// <summary>Docker's default capability set, in moby's order.</summary>
    public static IReadOnlyList<string> Capabilities { get; } = new[]
    {
        "CAP_CHOWN",
        "CAP_DAC_OVERRIDE",
        "CAP_FSETID",
        "CAP_FOWNER",
        "CAP_MKNOD",
        "CAP_NET_RAW",
        "CAP_SETGID",
        "CAP_SETUID",
        "CAP_SETFCAP",
        "CAP_SETPCAP",
        "CAP_NET_BIND_SERVICE",
        "CAP_SYS_CHROOT",
        "CAP_KILL",
        "CAP_AUDIT_WRITE",
    };

    /// <summary>
    /// Paths masked in /proc and /sys (moby oci/defaults.go, plus /sys/devices/virtual/powercap,
    /// which newer Docker masks against RAPL power side channels such as CVE-2020-8694).
    /// </summary>
    public static IReadOnlyList<string> MaskedPaths { get; } = new[]
    {
        "/proc/asound",
        "/proc/acpi",
        "/proc/kcore",
        "/proc/keys",
        "/proc/latency_stats",
        "/proc/timer_list",
        "/proc/timer_stats",
        "/proc/sched_debug",
        "/proc/scsi",
        "/sys/firmware",
        "/sys/devices/virtual/powercap",
    };

    /// <summary>Paths remounted read-only (moby oci/defaults.go).</summary>
    public static IReadOnlyList<string> ReadonlyPaths { get; } = new[]
    {
        "/proc/bus",
        "/proc/fs",
        "/proc/irq",
        "/proc/sys",
        "/proc/sysrq-trigger",
    };

    /// <summary>
    /// The default namespaces: Docker's five plus a private cgroup namespace (Docker's default on
    /// cgroup v2 hosts), so the container sees its own cgroup as the root.
    /// </summary>
    public static IReadOnlyList<string> NamespaceTypes { get; } = new[]
    {
        LinuxNamespace.Pid,
        LinuxNamespace.Network,
        LinuxNamespace.Ipc,
        LinuxNamespace.Uts,
        LinuxNamespace.Mount,
        LinuxNamespace.Cgroup,
    };

    /// <summary>
    /// Symlinks every runtime creates in /dev (runtime-spec config-linux.md "Default devices" for
    /// ptmx; runc/crun for the fd links).
    /// </summary>
    public static IReadOnlyList<KeyValuePair<string, string>> DevSymlinks { get; } = new[]
    {
        new KeyValuePair<string, string>("/dev/fd", "/proc/self/fd"),
        new KeyValuePair<string, string>("/dev/stdin", "/proc/self/fd/0"),
        new KeyValuePair<string, string>("/dev/stdout", "/proc/self/fd/1"),
        new KeyValuePair<string, string>("/dev/stderr", "/proc/self/fd/2"),
        new KeyValuePair<string, string>("/dev/ptmx", "pts/ptmx"),
    };

    /// <summary>Where the pty of a <c>terminal: true</c> process is bind-mounted (runtime-spec "Default devices").</summary>
    public const string ConsolePath = "/dev/console";

    /// <summary>Docker's mounts, in moby's order (/dev/shm with Docker's default 64 MiB size).</summary>
    public static List<SpecMount> Mounts() => new()
    {
        Mount("/proc", "proc", "proc", "nosuid", "noexec", "nodev"),
        Mount("/dev", "tmpfs", "tmpfs", "nosuid", "strictatime", "mode=755", "size=65536k"),
        Mount("/dev/pts", "devpts", "devpts", "nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5"),
        Mount("/sys", "sysfs", "sysfs", "nosuid", "noexec", "nodev", "ro"),
        Mount("/sys/fs/cgroup", "cgroup", "cgroup", "ro", "nosuid", "noexec", "nodev"),
        Mount("/dev/mqueue", "mqueue", "mqueue", "nosuid", "noexec", "nodev"),
        Mount("/dev/shm", "tmpfs", "shm", "nosuid", "noexec", "nodev", "mode=1777", "size=65536k"),
    };

    /// <summary>
    /// Docker's device cgroup rules: deny everything, then allow null, zero, full, random, urandom,
    /// tty and console, and deny fuse (10:229) again. (Docker's list omits full, 1:7; runc and crun
    /// add it back with <see cref="RuntimeImplicitDeviceRules"/>.)
    /// </summary>
    public static List<LinuxDeviceCgroup> DeviceCgroupRules() => new()
    {
        new() { Allow = false, Access = "rwm" },
        Char(true, 1, 5),
        Char(true, 1, 3),
        Char(true, 1, 9),
        Char(true, 1, 8),
        Char(true, 5, 0),
        Char(true, 5, 1),
        Char(false, 10, 229),
    };

    /// <summary>
    /// The rules runc appends after the spec's own (libcontainer/specconv AllowedDevices), so users
    /// cannot remove them: mknod of any device, the standard devices, /dev/pts/*, ptmx and tun; crun
    /// appends a similar list. The built-in runtime appends them too (<see cref="Monitor.CgroupLimits.DeviceRules"/>),
    /// so a bundle behaves alike under all three (a terminal needs /dev/pts and ptmx, which Docker's list omits).
    /// </summary>
    public static List<LinuxDeviceCgroup> RuntimeImplicitDeviceRules() => new()
    {
        new() { Allow = true, Type = "c", Access = "m" },
        new() { Allow = true, Type = "b", Access = "m" },
        Char(true, 1, 3),
        Char(true, 1, 8),
        Char(true, 1, 7),
        Char(true, 5, 0),
        Char(true, 1, 5),
        Char(true, 1, 9),
        new() { Allow = true, Type = "c", Major = 136, Access = "rwm" },
        Char(true, 5, 2),
        Char(true, 10, 200),
    };

    /// <summary>
    /// The device nodes every runtime must create (runtime-spec config-linux.md "Default devices"),
    /// mode 0666 owned by root. Not listed in a spec's linux.devices: runtimes supply them implicitly.
    /// </summary>
    public static List<LinuxDevice> Devices() => new()
    {
        Device("/dev/null", 1, 3),
        Device("/dev/zero", 1, 5),
        Device("/dev/full", 1, 7),
        Device("/dev/random", 1, 8),
        Device("/dev/urandom", 1, 9),
        Device("/dev/tty", 5, 0),
    };

    /// <summary>One <see cref="LinuxNamespace"/> per <see cref="NamespaceTypes"/> entry, none with a path.</summary>
    public static List<LinuxNamespace> Namespaces() => NamespaceTypes.Select(t => new LinuxNamespace { Type = t }).ToList();

    private static SpecMount Mount(string destination, string type, string source, params string[] options) =>
        new() { Destination = destination, Type = type, Source = source, Options = options.ToList() };

    private static LinuxDeviceCgroup Char(bool allow, long major, long minor) =>
        new() { Allow = allow, Type = "c", Major = major, Minor = minor, Access = "rwm" };

    private static LinuxDevice Device(string path, long major, long minor) =>
        new() { Path = path, Type = "c", Major = major, Minor = minor, FileMode = Convert.ToUInt32("666", 8), Uid = 0, Gid = 0 };
}
