using System.Globalization;
using ContainerPS.Engine.Errors;

namespace ContainerPS.Engine.Networking;

/// <summary>
/// Chooses subnets for user-defined networks, machine-wide: several store roots share one
/// kernel, so a subnet is taken when the host routes it (/proc/net/route: eth0's, other
/// engines' bridges) or when any store reserved it (an O_EXCL file under
/// /run/containerps/cni/subnets, kept while the network exists).
/// </summary>
public static class SubnetAllocator
{
    public const string ReservationDirectory = "/run/containerps/cni/subnets";

    /// <summary>Where automatic /24s come from (podman's range for user networks).</summary>
    private static readonly Ipv4Subnet Pool = new(Ipv4Subnet.ToUInt(System.Net.IPAddress.Parse("10.89.0.0")), 16);

    /// <summary>Reserves <paramref name="wanted"/>, or the first free /24 of the pool; returns it.</summary>
    /// <exception cref="ConflictException">The wanted subnet overlaps a routed or reserved one, or the pool is exhausted.</exception>
    public static Ipv4Subnet Reserve(Ipv4Subnet? wanted, string owner)
    {
        Directory.CreateDirectory(ReservationDirectory);
        var routed = RoutedSubnets();
        if (wanted is { } w)
        {
            if (routed.FirstOrDefault(r => r.Overlaps(w)) is { PrefixLength: > 0 } clash)
                throw new ConflictException("SubnetInUse", $"subnet {w} overlaps {clash}, which this host already routes", w.ToString());
            if (Reserved().FirstOrDefault(r => r.Subnet.Overlaps(w)) is { Owner: { } other } taken)
                throw new ConflictException("SubnetInUse", $"subnet {w} overlaps {taken.Subnet}, reserved by network {other}", w.ToString());
            if (!TryReserve(w, owner))
                throw new ConflictException("SubnetInUse", $"subnet {w} is already reserved", w.ToString());
            return w;
        }
        for (uint i = 0; i < 256; i++)
        {
            var candidate = new Ipv4Subnet(Pool.Network + (i << 8), 24);
            if (routed.Any(r => r.Overlaps(candidate))) continue;
            if (Reserved().Any(r => r.Subnet.Overlaps(candidate))) continue;
            if (TryReserve(candidate, owner)) return candidate;
        }
        throw new ConflictException("SubnetPoolExhausted", $"no free /24 left in {Pool}: remove unused networks or give -Subnet", Pool.ToString());
    }

    /// <summary>Releases a reservation made by <paramref name="owner"/> (only its own).</summary>
    public static void Release(Ipv4Subnet subnet, string owner)
    {
        var path = PathFor(subnet);
        try
        {
            if (File.ReadAllText(path).Trim() == owner) File.Delete(path);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>Re-reserves a stored network's subnet after a reboot cleared /run (quiet when it is already ours).</summary>
    public static void Ensure(Ipv4Subnet subnet, string owner)
    {
        Directory.CreateDirectory(ReservationDirectory);
        TryReserve(subnet, owner);
    }

    private static bool TryReserve(Ipv4Subnet subnet, string owner)
    {
        try
        {
            using var file = new FileStream(PathFor(subnet), FileMode.CreateNew, FileAccess.Write);
            file.Write(System.Text.Encoding.UTF8.GetBytes(owner + "\n"));
            return true;
        }
        catch (IOException)
        {
            try { return File.ReadAllText(PathFor(subnet)).Trim() == owner; }
            catch (IOException) { return false; }
        }
    }

    private static string PathFor(Ipv4Subnet subnet) => Path.Combine(ReservationDirectory, subnet.ToString().Replace('/', '_'));

    private static IEnumerable<(Ipv4Subnet Subnet, string Owner)> Reserved()
    {
        foreach (var file in Directory.EnumerateFiles(ReservationDirectory))
        {
            string owner;
            try { owner = File.ReadAllText(file).Trim(); }
            catch (IOException) { continue; }
            Ipv4Subnet subnet;
            try { subnet = Ipv4Subnet.Parse(Path.GetFileName(file).Replace('_', '/')); }
            catch (InvalidArgumentException) { continue; }
            yield return (subnet, owner);
        }
    }

    /// <summary>Every destination the host routes, except the default route.</summary>
    internal static List<Ipv4Subnet> RoutedSubnets()
    {
        var result = new List<Ipv4Subnet>();
        string[] lines;
        try { lines = File.ReadAllLines("/proc/net/route"); }
        catch (IOException) { return result; }
        foreach (var line in lines.Skip(1))
        {
            // Iface Destination Gateway Flags RefCnt Use Metric Mask …, addresses in little-endian hex.
            var f = line.Split('\t', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (f.Length < 8) continue;
            if (!uint.TryParse(f[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var dest) ||
                !uint.TryParse(f[7], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var mask)) continue;
            if (mask == 0) continue;
            var prefix = System.Numerics.BitOperations.PopCount(mask);
            result.Add(new Ipv4Subnet(System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(dest), prefix));
        }
        return result;
    }
}
