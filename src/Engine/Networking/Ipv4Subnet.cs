using System.Globalization;
using System.Net;
using System.Net.Sockets;
using ContainerPS.Engine.Errors;

namespace ContainerPS.Engine.Networking;

/// <summary>An IPv4 network in CIDR form ("10.89.3.0/24").</summary>
public readonly record struct Ipv4Subnet(uint Network, int PrefixLength)
{
    public uint Mask => PrefixLength == 0 ? 0 : uint.MaxValue << (32 - PrefixLength);

    /// <exception cref="InvalidArgumentException">Not an IPv4 CIDR.</exception>
    public static Ipv4Subnet Parse(string cidr)
    {
        var slash = cidr.IndexOf('/');
        if (slash < 0 || !IPAddress.TryParse(cidr[..slash], out var ip) || ip.AddressFamily != AddressFamily.InterNetwork ||
            !int.TryParse(cidr[(slash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var prefix) || prefix is < 8 or > 30)
            throw new InvalidArgumentException("InvalidSubnet", $"invalid subnet '{cidr}': expected an IPv4 CIDR such as 10.89.5.0/24 (prefix 8-30)", cidr);
        var value = ToUInt(ip);
        var subnet = new Ipv4Subnet(value, prefix);
        if ((value & subnet.Mask) != value)
            throw new InvalidArgumentException("InvalidSubnet", $"invalid subnet '{cidr}': host bits are set (did you mean {new Ipv4Subnet(value & subnet.Mask, prefix)}?)", cidr);
        return subnet;
    }

    public bool Contains(uint address) => (address & Mask) == Network;

    public bool Overlaps(Ipv4Subnet other)
    {
        var mask = PrefixLength < other.PrefixLength ? Mask : other.Mask;
        return (Network & mask) == (other.Network & mask);
    }

    /// <summary>The first host address (.1 of a /24), docker's default gateway.</summary>
    public string FirstHost => ToString(Network + 1);

    public static uint ToUInt(IPAddress ip)
    {
        var b = ip.GetAddressBytes();
        return (uint)(b[0] << 24 | b[1] << 16 | b[2] << 8 | b[3]);
    }

    public static string ToString(uint address) => $"{address >> 24}.{(address >> 16) & 255}.{(address >> 8) & 255}.{address & 255}";

    public override string ToString() => $"{ToString(Network)}/{PrefixLength}";
}
