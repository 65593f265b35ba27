namespace ContainerPS.Tests.Unit.Networking;

/// <summary>Reading interface lists, veths and iptables state for the network tests.</summary>
internal static class NetworkTestSupport
{
    /// <summary>Interface names from a /proc/net/dev listing, sorted.</summary>
    public static string[] Interfaces(string procNetDev) =>
        procNetDev.Split('\n').Where(l => l.Contains(':')).Select(l => l[..l.IndexOf(':')].Trim()).Where(n => n.Length > 0 && !n.Contains(' ')).OrderBy(n => n, StringComparer.Ordinal).ToArray();

    public static string[] HostInterfaces() => Interfaces(File.ReadAllText("/proc/net/dev"));
}
