using ContainerPS.Engine.Interop;

namespace ContainerPS.Engine.Archive;

/// <summary>
/// Resolves names from an untrusted archive (tar entry names, hardlink targets, docker-cp
/// destinations) to paths under one root, refusing the tar-escape CVE class:
/// ".." climbing above the root, absolute names, and writes through a symlink planted by an
/// earlier entry (e.g. <c>x -&gt; /etc</c> then <c>x/passwd</c>, CVE-2018-15664, CVE-2019-14271).
/// </summary>
/// <remarks>
/// Names are cleaned lexically (like Go's filepath.Clean): "./a", "a//b" and "a/../b" are fine
/// as long as ".." never climbs above the root. Every existing ancestor is then checked with
/// lstat and must be a real directory. The check is not race-free against a concurrent writer
/// of the same tree (that would need openat2 RESOLVE_BENEATH); the target directories this is
/// used for are private to the engine while they are written.
/// </remarks>
internal sealed class SafePath
{
    public SafePath(string root)
    {
        ArgumentException.ThrowIfNullOrEmpty(root);
        Root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(root));
    }

    /// <summary>Absolute path of the root, without a trailing slash (except for "/" itself).</summary>
    public string Root { get; }

    /// <summary>
    /// Cleans <paramref name="name"/> into a relative path of '/'-separated components with no
    /// ".", ".." or empty components; "" stands for the root itself.
    /// </summary>
    public static SafePathError Normalize(string name, out string relative)
    {
        relative = "";
        if (string.IsNullOrEmpty(name) || name.Contains('\0')) return SafePathError.Invalid;
        // Docker and containerd silently re-root "/etc/passwd"; this project rejects it.
        if (name[0] == '/') return SafePathError.Absolute;

        var parts = new List<string>();
        foreach (var part in name.Split('/'))
        {
            if (part.Length == 0 || part == ".") continue;
            if (part == "..")
            {
                if (parts.Count == 0) return SafePathError.EscapesRoot;
                parts.RemoveAt(parts.Count - 1);
                continue;
            }
            parts.Add(part);
        }
        relative = string.Join('/', parts);
        return SafePathError.None;
    }

    /// <summary>The absolute path of a relative path produced by <see cref="Normalize"/>.</summary>
    public string FullPath(string relative) =>
        relative.Length == 0 ? Root : Root == "/" ? "/" + relative : Root + "/" + relative;

    /// <summary>Normalises <paramref name="name"/> and checks its existing parents (<see cref="CheckParents"/>).</summary>
    public SafePathError Resolve(string name, out string relative, out string fullPath)
    {
        fullPath = Root;
        var error = Normalize(name, out relative);
        if (error != SafePathError.None) return error;
        error = CheckParents(relative);
        if (error == SafePathError.None) fullPath = FullPath(relative);
        return error;
    }

    /// <summary>
    /// Every existing ancestor of <paramref name="relative"/> (not the path itself) must be a
    /// directory, never a symlink. Missing ancestors are fine: nothing below them exists yet.
    /// </summary>
    public SafePathError CheckParents(string relative) => Walk(relative, includeLast: false, createMode: null, created: null);

    /// <summary>As <see cref="CheckParents"/>, and the path itself, if it exists, must be a real directory too.</summary>
    public SafePathError CheckDirectory(string relative) => Walk(relative, includeLast: true, createMode: null, created: null);

    /// <summary>
    /// Checks the ancestors of <paramref name="relative"/> and creates the missing ones with
    /// <paramref name="mode"/> (exactly: the umask is overridden), owned by the caller (root, as
    /// Docker does). <paramref name="created"/> receives the relative path of each directory made.
    /// </summary>
    public SafePathError CreateParents(string relative, uint mode, Action<string>? created = null) =>
        Walk(relative, includeLast: false, createMode: mode, created);

    /// <summary>As <see cref="CreateParents"/>, including the path itself as a directory.</summary>
    public SafePathError CreateDirectory(string relative, uint mode, Action<string>? created = null) =>
        Walk(relative, includeLast: true, createMode: mode, created);

    private SafePathError Walk(string relative, bool includeLast, uint? createMode, Action<string>? created)
    {
        if (relative.Length == 0) return SafePathError.None;
        var missing = false;
        var start = 0;
        while (true)
        {
            var slash = relative.IndexOf('/', start);
            if (slash < 0)
            {
                if (!includeLast) return SafePathError.None;
                slash = relative.Length;
            }
            var prefix = relative[..slash];
            var full = FullPath(prefix);
            if (!missing && FileSystem.TryLStat(full, out var status))
            {
                if (status.IsSymbolicLink) return SafePathError.ThroughSymlink;
                if (!status.IsDirectory) return SafePathError.ParentNotDirectory;
            }
            else
            {
                // Below a missing component nothing can exist, so no further lstat is needed.
                missing = true;
                if (createMode is not { } mode) return SafePathError.None;
                FileSystem.MakeDirectory(full, mode);
                FileSystem.Chmod(full, mode);
                created?.Invoke(prefix);
            }
            if (slash == relative.Length) return SafePathError.None;
            start = slash + 1;
        }
    }

    /// <summary>Text for messages: 'entry "x" {Describe}'.</summary>
    public static string Describe(SafePathError error) => error switch
    {
        SafePathError.Invalid => "is not a valid path name",
        SafePathError.Absolute => "is an absolute path (absolute paths are rejected)",
        SafePathError.EscapesRoot => "escapes the target directory",
        SafePathError.ThroughSymlink => "passes through a symbolic link",
        SafePathError.ParentNotDirectory => "has a parent that is not a directory",
        _ => "is acceptable",
    };
}
