using ContainerPS.Engine.Errors;
using ContainerPS.Engine.Interop;

namespace ContainerPS.Engine.Build.Context;

/// <summary>
/// The files a build may read: a directory with the paths its .dockerignore excludes left out.
/// The tree is listed once per build (lstat only, no content read), so COPY and ADD resolve
/// their sources — exact paths, or wildcards with Go's filepath.Match rules as Docker uses
/// them — against one consistent view. Paths are relative, '/'-separated, never "..".
/// </summary>
public sealed class BuildContext
{
    private readonly Dictionary<string, ContextEntry> _entries = new(StringComparer.Ordinal);
    private readonly List<ContextEntry> _ordered = new();

    /// <param name="root">The context directory.</param>
    /// <param name="ignore">The build's .dockerignore; null keeps everything.</param>
    /// <exception cref="NotFoundException">"BuildContextNotFound": the directory does not exist.</exception>
    public BuildContext(string root, DockerIgnore? ignore = null)
    {
        Root = Path.GetFullPath(root);
        if (!Directory.Exists(Root))
            throw new NotFoundException("BuildContextNotFound", $"unable to prepare context: path \"{root}\" not found", root);
        Ignore = ignore ?? DockerIgnore.Empty;
        Walk();
    }

    public DockerIgnore Ignore { get; }

    public string Root { get; }

    /// <summary>Every entry, parents before children, names in ordinal order.</summary>
    public IReadOnlyList<ContextEntry> Entries => _ordered;

    public bool TryGet(string relative, out ContextEntry? entry) => _entries.TryGetValue(relative, out entry);

    /// <summary>The host path of a context entry.</summary>
    public string FullPath(string relative) => relative.Length == 0 ? Root : Path.Combine(Root, relative);

    /// <summary>Entries directly or indirectly below <paramref name="directory"/> ("" for the root), parents first.</summary>
    public IEnumerable<ContextEntry> Below(string directory)
    {
        var prefix = directory.Length == 0 ? "" : directory + "/";
        return _ordered.Where(e => e.Path.Length > prefix.Length && e.Path.StartsWith(prefix, StringComparison.Ordinal));
    }

    /// <summary>
    /// The entries a COPY/ADD source names: the exact path, or every path a wildcard pattern matches
    /// (Docker matches wildcards against whole relative paths with filepath.Match). The root itself
    /// is "" ("." or "/").
    /// </summary>
    /// <exception cref="InvalidArgumentException">"SourceOutsideContext": the path leaves the context.</exception>
    /// <exception cref="NotFoundException">"SourceNotFound": nothing matches (or it is excluded by .dockerignore).</exception>
    public IReadOnlyList<ContextEntry> Resolve(string source)
    {
        var clean = Clean(source);
        if (GlobMatcher.HasWildcards(clean))
        {
            var matches = _ordered.Where(e => GlobMatcher.Match(clean, e.Path)).ToList();
            if (matches.Count == 0)
                throw new NotFoundException("SourceNotFound", $"lstat {source}: no source files were specified (nothing in the build context matches \"{source}\")", source);
            return matches;
        }
        if (clean.Length == 0) return new[] { new ContextEntry("", FileSystem.LStat(Root)) };
        if (_entries.TryGetValue(clean, out var entry)) return new[] { entry };
        throw new NotFoundException("SourceNotFound",
            $"\"/{clean}\": not found in the build context{(File.Exists(FullPath(clean)) || Directory.Exists(FullPath(clean)) ? " (excluded by .dockerignore)" : "")}", source);
    }

    /// <summary>A source path made relative to the context: "./a/../b/" → "b"; "/" and "." → "".</summary>
    /// <exception cref="InvalidArgumentException">"SourceOutsideContext".</exception>
    public static string Clean(string source)
    {
        var parts = new List<string>();
        foreach (var part in source.Replace('\\', '/').Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (part == ".") continue;
            if (part == "..")
            {
                if (parts.Count == 0)
                    throw new InvalidArgumentException("SourceOutsideContext", $"forbidden path outside the build context: {source}", source);
                parts.RemoveAt(parts.Count - 1);
                continue;
            }
            parts.Add(part);
        }
        return string.Join('/', parts);
    }

    private void Walk()
    {
        var stack = new Stack<string>();
        stack.Push("");
        while (stack.Count > 0)
        {
            var dir = stack.Pop();
            string[] names;
            try
            {
                names = Directory.GetFileSystemEntries(FullPath(dir)).Select(p => Path.GetFileName(p)).ToArray();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new EngineException(ErrorKind.FailedPrecondition, "BuildContextUnreadable", $"reading the build context {FullPath(dir)}: {e.Message}", FullPath(dir), e);
            }
            Array.Sort(names, StringComparer.Ordinal);
            var subdirs = new List<string>();
            foreach (var name in names)
            {
                var relative = dir.Length == 0 ? name : dir + "/" + name;
                if (!FileSystem.TryLStat(FullPath(relative), out var status)) continue;
                var excluded = Ignore.IsExcluded(relative);
                if (!excluded)
                {
                    var entry = new ContextEntry(relative, status);
                    _entries[relative] = entry;
                    _ordered.Add(entry);
                }
                // An excluded directory is walked only when a "!" pattern may bring back something inside it.
                if (status.IsDirectory && (!excluded || Ignore.MayIncludeBelow(relative))) subdirs.Add(relative);
            }
            for (var i = subdirs.Count - 1; i >= 0; i--) stack.Push(subdirs[i]);
        }
        // The walk above visits a directory's names before its subdirectories' contents; order
        // parents before children with names sorted, as a depth-first walk would list them.
        _ordered.Sort((a, b) => ComparePaths(a.Path, b.Path));
    }

    /// <summary>Depth-first order: compare component by component, ordinal.</summary>
    internal static int ComparePaths(string a, string b)
    {
        var x = a.Split('/');
        var y = b.Split('/');
        for (var i = 0; i < Math.Min(x.Length, y.Length); i++)
        {
            var c = string.CompareOrdinal(x[i], y[i]);
            if (c != 0) return c;
        }
        return x.Length.CompareTo(y.Length);
    }
}
