namespace ContainerPS.Runtime.Linux;

/// <summary>
/// setrlimit(2) resources (RLIMIT_*) from &lt;sys/resource.h&gt;, and the OCI names for them
/// ("RLIMIT_NOFILE"). The generic values, shared by x86_64 and arm64.
/// </summary>
public static class RlimitResources
{
    public const int RLIMIT_CPU = 0, RLIMIT_FSIZE = 1, RLIMIT_DATA = 2, RLIMIT_STACK = 3, RLIMIT_CORE = 4,
        RLIMIT_RSS = 5, RLIMIT_NPROC = 6, RLIMIT_NOFILE = 7, RLIMIT_MEMLOCK = 8, RLIMIT_AS = 9,
        RLIMIT_LOCKS = 10, RLIMIT_SIGPENDING = 11, RLIMIT_MSGQUEUE = 12, RLIMIT_NICE = 13,
        RLIMIT_RTPRIO = 14, RLIMIT_RTTIME = 15;

    /// <summary>RLIM_INFINITY: no limit.</summary>
    public const ulong RLIM_INFINITY = ulong.MaxValue;

    private static readonly string[] Names =
    [
        "RLIMIT_CPU", "RLIMIT_FSIZE", "RLIMIT_DATA", "RLIMIT_STACK", "RLIMIT_CORE", "RLIMIT_RSS",
        "RLIMIT_NPROC", "RLIMIT_NOFILE", "RLIMIT_MEMLOCK", "RLIMIT_AS", "RLIMIT_LOCKS",
        "RLIMIT_SIGPENDING", "RLIMIT_MSGQUEUE", "RLIMIT_NICE", "RLIMIT_RTPRIO", "RLIMIT_RTTIME",
    ];

    /// <summary>The resource number of an OCI rlimit type ("RLIMIT_NOFILE"), or null if unknown.</summary>
    public static int? FromName(string name)
    {
        var i = Array.IndexOf(Names, name.ToUpperInvariant());
        return i < 0 ? null : i;
    }

    /// <summary>"RLIMIT_NOFILE" for 7.</summary>
    public static string Name(int resource) =>
        resource >= 0 && resource < Names.Length ? Names[resource] : $"rlimit {resource}";
}
