using ContainerPS.Engine.Interop;

namespace ContainerPS.Engine.Build.Execution;

/// <summary>
/// The merged file system of a build state read straight from its unpacked layers, as overlayfs
/// would show it (topmost layer wins, whiteouts — character device 0:0 — hide a name, opaque
/// directories hide what is below), without mounting anything. Symlinks in the middle of a path
/// resolve inside the view, never on the host. Used to look at COPY/ADD destinations, to create
/// WORKDIR, and to read `COPY --from` sources.
/// </summary>
public sealed class LayeredView
{
    private const int MaxSymlinks = 40;
    private readonly IReadOnlyList<string> _topFirst;

    /// <param name="diffDirsTopFirst">Layer diff directories, topmost first.</param>
    public LayeredView(IReadOnlyList<string> diffDirsTopFirst) => _topFirst = diffDirsTopFirst;

    /// <summary>One name of the merged tree: its host path (in the layer that provides it) and lstat.</summary>
    public readonly record struct Node(string HostPath, FileStatus Status);

    /// <summary>lstat of an absolute path in the view (the last component is not followed); null when absent.</summary>
    public Node? LStat(string path)
    {
        var parts = Split(path);
        if (parts.Count == 0)
            return _topFirst.Count > 0 && FileSystem.TryLStat(_topFirst[0], out var root) ? new Node(_topFirst[0], root) : null;
        foreach (var layer in _topFirst)
        {
            var current = layer;
            var opaqueAbove = false;
            for (var i = 0; i < parts.Count; i++)
            {
                current = Path.Combine(current, parts[i]);
                if (!FileSystem.TryLStat(current, out var st))
                {
                    if (opaqueAbove) return null; // an opaque directory in this layer hides the layers below
                    break;
                }
                if (IsWhiteout(st)) return null;
                if (i == parts.Count - 1) return new Node(current, st);
                if (!st.IsDirectory) return null; // a file here replaces any directory below
                if (IsOpaque(current)) opaqueAbove = true;
            }
        }
        return null;
    }

    /// <summary>
    /// <paramref name="path"/> with every symlink in it resolved inside the view (the last component
    /// too when <paramref name="followLast"/>), as a clean absolute path. Components that do not
    /// exist are kept as they are.
    /// </summary>
    public string Resolve(string path, bool followLast)
    {
        var pending = new Stack<string>(Split(path).AsEnumerable().Reverse());
        var resolved = new List<string>();
        var links = 0;
        while (pending.Count > 0)
        {
            var part = pending.Pop();
            if (part == ".") continue;
            if (part == "..")
            {
                if (resolved.Count > 0) resolved.RemoveAt(resolved.Count - 1);
                continue;
            }
            var candidate = "/" + string.Join('/', resolved.Append(part));
            var last = pending.Count == 0;
            if ((!last || followLast) && LStat(candidate) is { Status.IsSymbolicLink: true } link && links++ < MaxSymlinks)
            {
                var target = new FileInfo(link.HostPath).LinkTarget ?? "";
                if (target.StartsWith('/')) resolved.Clear();
                foreach (var p in Split(target).AsEnumerable().Reverse()) pending.Push(p);
                continue;
            }
            resolved.Add(part);
        }
        return "/" + string.Join('/', resolved);
    }

    /// <summary>The merged entries of a directory, names in ordinal order (whiteouts and hidden names left out).</summary>
    public IReadOnlyList<(string Name, Node Node)> List(string dir)
    {
        var parts = Split(dir);
        var seen = new Dictionary<string, Node?>(StringComparer.Ordinal);
        foreach (var layer in _topFirst)
        {
            var current = layer;
            var reachable = true;
            foreach (var p in parts)
            {
                current = Path.Combine(current, p);
                if (!FileSystem.TryLStat(current, out var st) || !st.IsDirectory) { reachable = false; break; }
            }
            if (reachable && FileSystem.TryLStat(current, out var self) && self.IsDirectory)
            {
                foreach (var entry in Directory.EnumerateFileSystemEntries(current))
                {
                    var name = Path.GetFileName(entry);
                    if (seen.ContainsKey(name) || !FileSystem.TryLStat(entry, out var st)) continue;
                    seen[name] = IsWhiteout(st) ? null : new Node(entry, st);
                }
                if (IsOpaque(current)) break;
            }
            else if (FileSystem.TryLStat(current, out var other) && !other.IsDirectory) break; // replaced by a non-directory
            if (HidesBelow(layer, parts)) break;
        }
        return seen.Where(kv => kv.Value is not null).Select(kv => (kv.Key, kv.Value!.Value)).OrderBy(e => e.Key, StringComparer.Ordinal).ToList();
    }

    /// <summary>Whether a whiteout of the directory or of one of its parents in this layer hides the layers below.</summary>
    private static bool HidesBelow(string layer, IReadOnlyList<string> parts)
    {
        var current = layer;
        for (var i = 0; i < parts.Count; i++)
        {
            current = Path.Combine(current, parts[i]);
            if (!FileSystem.TryLStat(current, out var st)) return false;
            if (IsWhiteout(st) || !st.IsDirectory) return true;
            if (i < parts.Count - 1 && IsOpaque(current)) return true;
        }
        return false;
    }

    private static bool IsWhiteout(FileStatus st) => st.IsCharacterDevice && st.RDevice == 0;

    private static bool IsOpaque(string dir) => FileSystem.GetXattr(dir, "trusted.overlay.opaque") is [(byte)'y'];

    /// <summary>The parent of an absolute path ("/" for "/x").</summary>
    public static string Parent(string path)
    {
        var trimmed = path.TrimEnd('/');
        var slash = trimmed.LastIndexOf('/');
        return slash <= 0 ? "/" : trimmed[..slash];
    }

    internal static List<string> Split(string path) =>
        path.Split('/', StringSplitOptions.RemoveEmptyEntries).Where(p => p != ".").ToList();
}
