using System.Text;
using ContainerPS.Engine.Interop;

namespace ContainerPS.Engine.Containers.Spec;

/// <summary>
/// Reads files of a rootfs laid out in a host directory (a mounted overlay or an unpacked tree).
/// Symlinks are followed within the rootfs, as Docker's FollowSymlinkInScope does: an absolute
/// link target or ".." never leaves the root, so an image whose /etc/passwd links to
/// /etc/shadow reads its own shadow file, not the host's. Only regular files are read (a device
/// node or FIFO named etc/passwd would otherwise block or stream forever), up to
/// <see cref="MaxFileSize"/> bytes.
/// </summary>
public sealed class DirectoryRootfsReader : IRootfsReader
{
    /// <summary>Larger files are refused: passwd/group files are small, and this bounds memory.</summary>
    public const long MaxFileSize = 16 * 1024 * 1024;

    private const int MaxLinks = 255; // Docker's (and Linux's MAXSYMLINKS-style) bound on link chains

    public DirectoryRootfsReader(string root)
    {
        ArgumentException.ThrowIfNullOrEmpty(root);
        Root = Path.GetFullPath(root);
    }

    public string Root { get; }

    public string? ReadFile(string pathInRootfs)
    {
        var host = ResolveInScope(pathInRootfs);
        if (host is null || !FileSystem.TryLStat(host, out var st) || !st.IsRegularFile || st.Size > MaxFileSize) return null;
        try
        {
            return Encoding.UTF8.GetString(File.ReadAllBytes(host));
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    /// <summary>
    /// The host path of <paramref name="pathInRootfs"/> with every symlink resolved inside
    /// <see cref="Root"/>; null when a link chain is too long.
    /// </summary>
    public string? ResolveInScope(string pathInRootfs)
    {
        var pending = new List<string>(Split(pathInRootfs));
        var resolved = new List<string>();
        var links = 0;
        while (pending.Count > 0)
        {
            var part = pending[0];
            pending.RemoveAt(0);
            if (part == ".") continue;
            if (part == "..")
            {
                if (resolved.Count > 0) resolved.RemoveAt(resolved.Count - 1);
                continue;
            }
            var host = HostPath(resolved, part);
            if (FileSystem.TryLStat(host, out var st) && st.IsSymbolicLink)
            {
                if (++links > MaxLinks) return null;
                var target = new FileInfo(host).LinkTarget ?? "";
                if (target.StartsWith('/')) resolved.Clear();
                pending.InsertRange(0, Split(target));
                continue;
            }
            resolved.Add(part);
        }
        return resolved.Count == 0 ? Root : Path.Combine(Root, string.Join('/', resolved));
    }

    private string HostPath(List<string> resolved, string part) =>
        resolved.Count == 0 ? Path.Combine(Root, part) : Path.Combine(Root, string.Join('/', resolved), part);

    private static string[] Split(string path) => path.Split('/', StringSplitOptions.RemoveEmptyEntries);
}
