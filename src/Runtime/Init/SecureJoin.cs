using ContainerPS.Runtime.Linux;

namespace ContainerPS.Runtime.Init;

/// <summary>
/// Resolves a path inside a root the way filepath-securejoin's SecureJoin does (runc uses it
/// for every mount destination since CVE-2015-3627 / CVE-2021-30465): symlinks are followed
/// as if the root were "/", and ".." never climbs above the root, so a container-controlled
/// symlink cannot send a mount outside the rootfs. Missing components are joined as they are.
/// </summary>
public static class SecureJoin
{
    private const int MaxSymlinks = 255;

    /// <summary>
    /// The host path <paramref name="unsafePath"/> names inside <paramref name="root"/>,
    /// with every existing symlink on the way resolved inside the root.
    /// </summary>
    /// <exception cref="ContainerInitException">Too many symlinks (ELOOP).</exception>
    public static string Resolve(ISyscalls sys, string root, string unsafePath)
    {
        root = Clean(root);
        var pending = new Stack<string>(Enumerable.Reverse(Split(unsafePath)));
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
            var candidate = Join(root, resolved, part);
            var st = sys.Lstat(candidate);
            if (st is not { IsSymbolicLink: true })
            {
                resolved.Add(part);
                continue;
            }
            if (++links > MaxSymlinks)
                throw new ContainerInitException($"securejoin {unsafePath} in {root}: too many levels of symbolic links",
                    new SyscallError("securejoin", candidate, Errno.ELOOP));
            var target = sys.Readlink(candidate);
            if (target.StartsWith('/')) resolved.Clear();
            foreach (var t in Enumerable.Reverse(Split(target))) pending.Push(t);
        }
        var result = Join(root, resolved, null);
        // Cannot happen by construction; checked because the whole point is never to leave the root.
        if (!IsWithin(root, result)) throw new ContainerInitException($"path {unsafePath} escapes the container root {root}");
        return result;
    }

    /// <summary>
    /// Creates <paramref name="unsafePath"/> and its missing parents as directories inside the
    /// root (runc's MkdirAllInRoot): resolves it with <see cref="Resolve"/>, then creates the
    /// missing components one by one, refusing to go on when one turns out to be a symlink or
    /// a non-directory. Returns the resolved host path.
    /// </summary>
    public static string MkdirAll(ISyscalls sys, string root, string unsafePath, uint mode = 0x1ED)
    {
        var path = Resolve(sys, root, unsafePath);
        root = Clean(root);
        var current = root;
        foreach (var part in Split(path[root.Length..]))
        {
            current = current == "/" ? "/" + part : current + "/" + part;
            var st = sys.Lstat(current);
            if (st is null)
            {
                try
                {
                    sys.Mkdir(current, mode);
                }
                catch (SyscallError e) when (e.Errno == Errno.EEXIST)
                {
                    st = sys.Lstat(current);
                }
            }
            if (st is { IsDirectory: false })
                throw new ContainerInitException(st.Value.IsSymbolicLink
                    ? $"mkdir {path}: {current} became a symlink while it was being created inside {root}"
                    : $"mkdir {path}: {current} is not a directory",
                    new SyscallError("mkdir", current, Errno.ENOTDIR));
        }
        return path;
    }

    /// <summary>Lexically cleans an absolute path ("/a/./b/../c/" → "/a/c").</summary>
    public static string Clean(string path)
    {
        var parts = new List<string>();
        foreach (var p in Split(path))
        {
            if (p == ".") continue;
            if (p == "..") { if (parts.Count > 0) parts.RemoveAt(parts.Count - 1); continue; }
            parts.Add(p);
        }
        return "/" + string.Join('/', parts);
    }

    /// <summary>True when <paramref name="path"/> is <paramref name="root"/> or below it.</summary>
    public static bool IsWithin(string root, string path) =>
        root == "/" || path == root || path.StartsWith(root + "/", StringComparison.Ordinal);

    private static string[] Split(string path) => path.Split('/', StringSplitOptions.RemoveEmptyEntries);

    private static string Join(string root, List<string> parts, string? last)
    {
        var rel = string.Join('/', last is null ? parts : [.. parts, last]);
        if (rel.Length == 0) return root;
        return root == "/" ? "/" + rel : root + "/" + rel;
    }
}
