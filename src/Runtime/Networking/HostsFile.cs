using System.Text;

namespace ContainerPS.Runtime.Networking;

/// <summary>
/// Name resolution on user-defined networks without a daemon or a DNS server: each container's
/// /etc/hosts lists its peers ("10.89.3.2  web db-alias  # containerps:&lt;id&gt;"), one marked line
/// per peer, added when a peer joins and dropped when it leaves. The file is bind-mounted into
/// the container, so it is rewritten IN PLACE (a rename would leave the container reading the
/// old inode). Callers hold the store lock.
/// </summary>
public static class HostsFile
{
    public const string Marker = "# containerps:";

    /// <summary>Replaces <paramref name="peerId"/>'s line(s) in the hosts file at <paramref name="path"/> (none when <paramref name="address"/> is null).</summary>
    public static void SetPeer(string path, string peerId, string? address, IEnumerable<string> names)
    {
        var lines = Read(path);
        if (lines is null) return;
        var kept = lines.Where(l => !IsPeerLine(l, peerId)).ToList();
        var distinct = names.Where(n => n.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        if (address is not null && distinct.Count > 0) kept.Add($"{address}\t{string.Join(' ', distinct)}\t{Marker}{peerId}");
        Write(path, kept, lines);
    }

    /// <summary>Drops <paramref name="peerId"/>'s lines from the hosts files of every container under <paramref name="containersDir"/>.</summary>
    public static void ForgetPeer(string containersDir, string peerId)
    {
        if (!Directory.Exists(containersDir)) return;
        foreach (var dir in Directory.EnumerateDirectories(containersDir))
        {
            var path = Path.Combine(dir, "hosts");
            var lines = Read(path);
            if (lines is null || !lines.Any(l => IsPeerLine(l, peerId))) continue;
            Write(path, lines.Where(l => !IsPeerLine(l, peerId)).ToList(), lines);
        }
    }

    /// <summary>The IDs of the peers listed in a hosts file.</summary>
    public static IReadOnlyList<string> Peers(string path) =>
        (Read(path) ?? new List<string>()).Select(l => l.IndexOf(Marker, StringComparison.Ordinal) is var at and >= 0 ? l[(at + Marker.Length)..].Trim() : null)
            .OfType<string>().ToList();

    private static bool IsPeerLine(string line, string peerId) => line.EndsWith(Marker + peerId, StringComparison.Ordinal);

    private static List<string>? Read(string path)
    {
        try { return File.ReadAllLines(path).ToList(); }
        catch (FileNotFoundException) { return null; }
        catch (DirectoryNotFoundException) { return null; }
    }

    private static void Write(string path, List<string> lines, List<string> before)
    {
        if (lines.SequenceEqual(before)) return;
        var bytes = Encoding.UTF8.GetBytes(string.Join('\n', lines) + "\n");
        // In place: same inode, so the container's bind mount sees the change.
        using var file = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite);
        file.Write(bytes);
        file.SetLength(bytes.Length);
    }
}
