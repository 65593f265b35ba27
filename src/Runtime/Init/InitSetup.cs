using System.Text;

namespace ContainerPS.Runtime.Init;

/// <summary>
/// What a pre-launched init (<c>containerps-shim init &lt;bundle&gt; notty -</c>, started before
/// its container existed) learns on its go pipe before the go byte, as one line: the network
/// it enters, then the v1 cgroup <c>tasks</c> files it joins, NUL-separated (none of them can
/// hold a NUL or a newline: the engine makes every one of these paths).
/// </summary>
public sealed record InitSetup
{
    /// <summary>The network as the init finds it: "own" (a namespace of its own, loopback up), "host", or a namespace file to join.</summary>
    public required string Network { get; init; }

    public IReadOnlyList<string> CgroupTaskFiles { get; init; } = Array.Empty<string>();

    /// <summary>The init's last argument when it is started this way (instead of its cgroup tasks files).</summary>
    public const string OnGoPipe = "-";

    public const string OwnNetwork = "own";
    public const string HostNetwork = "host";

    /// <summary>The network of a container: <paramref name="netnsPath"/> to join, the host's, or else one of its own.</summary>
    public static string NetworkFor(string? netnsPath, bool hostNetwork) => netnsPath ?? (hostNetwork ? HostNetwork : OwnNetwork);

    /// <summary>The line, with its newline.</summary>
    public byte[] Encode()
    {
        var fields = CgroupTaskFiles.Prepend(Network).ToList();
        if (fields.Any(f => f.Contains('\0') || f.Contains('\n')))
            throw new ArgumentException("an init setup field holds a NUL or a newline");
        return Encoding.UTF8.GetBytes(string.Join('\0', fields) + "\n");
    }

    /// <summary>The line without its newline.</summary>
    /// <exception cref="FormatException">Not a setup line.</exception>
    public static InitSetup Parse(string line)
    {
        var fields = line.Split('\0');
        var network = fields[0];
        if (network is not (OwnNetwork or HostNetwork) && !network.StartsWith('/'))
            throw new FormatException($"init setup: unknown network \"{network}\"");
        return new InitSetup { Network = network, CgroupTaskFiles = fields[1..] };
    }
}
