using System.Globalization;
using System.Net;
using System.Net.Sockets;
using ContainerPS.Engine.Errors;

namespace ContainerPS.Engine.Networking;

/// <summary>
/// One requested port mapping (docker run -p): host address ("" = all), host port (0 = a free
/// one), container port, protocol. <see cref="Parse"/> reads docker's syntax
/// <c>[ip:][hostPort[-end]:]containerPort[-end][/tcp|udp]</c> into one spec per port.
/// </summary>
public sealed record PortSpec(string HostIp, int HostPort, int ContainerPort, string Protocol)
{
    /// <exception cref="InvalidArgumentException">Malformed; the message quotes the value as given.</exception>
    public static IReadOnlyList<PortSpec> Parse(string value)
    {
        var text = value.Trim();
        var protocol = "tcp";
        var slash = text.LastIndexOf('/');
        if (slash >= 0)
        {
            protocol = text[(slash + 1)..].ToLowerInvariant();
            text = text[..slash];
            if (protocol is not ("tcp" or "udp")) throw Invalid(value, $"unsupported protocol '{protocol}': use tcp or udp");
        }
        var parts = text.Split(':');
        string hostIp = "", hostPart = "", containerPart;
        switch (parts.Length)
        {
            case 1: containerPart = parts[0]; break;
            case 2: (hostPart, containerPart) = (parts[0], parts[1]); break;
            case 3: (hostIp, hostPart, containerPart) = (parts[0], parts[1], parts[2]); break;
            default: throw Invalid(value, "expected [ip:][hostPort:]containerPort[/protocol] (IPv6 host addresses are not supported)");
        }
        if (hostIp.Length > 0 && !(IPAddress.TryParse(hostIp, out var ip) && ip.AddressFamily == AddressFamily.InterNetwork))
            throw Invalid(value, $"invalid IPv4 host address '{hostIp}'");
        if (hostIp == "0.0.0.0") hostIp = "";
        var (cStart, cEnd) = Range(containerPart, value, "container port");
        var (hStart, hEnd) = hostPart.Length == 0 ? (0, 0) : Range(hostPart, value, "host port");
        var count = cEnd - cStart + 1;
        if (hStart != 0 && hEnd - hStart + 1 != count && !(count == 1 && hEnd > hStart))
            throw Invalid(value, "the host and container port ranges have different lengths");
        var result = new List<PortSpec>();
        for (var i = 0; i < count; i++)
            result.Add(new PortSpec(hostIp, hStart == 0 ? 0 : hStart + i, cStart + i, protocol));
        return result;
    }

    /// <summary>EXPOSE'd ports ("80/tcp", "53/udp", "8080") as -PublishAll maps them: every host address, a free port.</summary>
    public static IEnumerable<PortSpec> FromExposed(IEnumerable<string> exposed)
    {
        foreach (var e in exposed)
        {
            var parsed = Parse(e);
            foreach (var p in parsed) yield return p with { HostIp = "", HostPort = 0 };
        }
    }

    public override string ToString() => $"{(HostIp.Length == 0 ? "0.0.0.0" : HostIp)}:{(HostPort == 0 ? "" : HostPort)}->{ContainerPort}/{Protocol}";

    private static (int Start, int End) Range(string text, string value, string what)
    {
        var dash = text.IndexOf('-');
        var start = Port(dash < 0 ? text : text[..dash], value, what);
        var end = dash < 0 ? start : Port(text[(dash + 1)..], value, what);
        if (end < start) throw Invalid(value, $"invalid {what} range '{text}'");
        return (start, end);
    }

    private static int Port(string text, string value, string what)
    {
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
            throw Invalid(value, $"invalid {what} '{text}': use 1-65535");
        return port;
    }

    private static InvalidArgumentException Invalid(string value, string why) =>
        new("InvalidPublish", $"invalid published port '{value}': {why}", value);
}
