using ContainerPS.Engine.Errors;

namespace ContainerPS.Engine.Build.Context;

/// <summary>
/// A .dockerignore: which context paths a build may not read (moby's ignorefile + patternmatcher).
/// Lines starting with '#' are comments, blank lines are skipped, patterns are trimmed and
/// cleaned ("./a/" → "a", "/a" → "a", "a/../b" → "b"), `!` re-includes. The last matching
/// pattern decides; a path is also excluded when a pattern matches one of its parent
/// directories. The Dockerfile and the .dockerignore are always read by the builder itself
/// whatever the patterns say; patterns that match them only keep COPY/ADD from seeing them,
/// as Docker documents.
/// </summary>
public sealed class DockerIgnore
{
    private DockerIgnore(IReadOnlyList<IgnorePattern> patterns, string? sourceFile)
    {
        Patterns = patterns;
        SourceFile = sourceFile;
        HasExclusions = patterns.Any(p => p.IsExclusion);
    }

    public static DockerIgnore Empty { get; } = new(Array.Empty<IgnorePattern>(), null);

    public IReadOnlyList<IgnorePattern> Patterns { get; }

    /// <summary>The file the patterns came from, or null.</summary>
    public string? SourceFile { get; }

    /// <summary>Whether any `!` pattern exists (then an excluded directory may still hold included paths).</summary>
    public bool HasExclusions { get; }

    /// <summary>Reads .dockerignore text (moby's ignorefile.ReadAll).</summary>
    /// <exception cref="InvalidArgumentException">"InvalidDockerignorePattern".</exception>
    public static DockerIgnore Parse(string text, string? sourceFile = null) => FromPatterns(ReadPatterns(text), sourceFile);

    /// <summary>The patterns of .dockerignore text, cleaned, before compilation (moby's ignorefile.ReadAll).</summary>
    public static IReadOnlyList<string> ReadPatterns(string text)
    {
        var patterns = new List<string>();
        var first = true;
        foreach (var rawLine in text.Split('\n'))
        {
            var line = rawLine;
            if (first && line.StartsWith('\uFEFF')) line = line[1..];
            first = false;
            if (line.StartsWith('#')) continue;
            line = line.Trim();
            if (line.Length == 0) continue;
            var invert = line[0] == '!';
            if (invert) line = line[1..].Trim();
            if (line.Length > 0)
            {
                line = CleanPath(line);
                if (line.Length > 1 && line[0] == '/') line = line[1..];
            }
            patterns.Add(invert ? "!" + line : line);
        }
        return patterns;
    }

    /// <summary>Compiles patterns as given (already in .dockerignore form).</summary>
    /// <exception cref="InvalidArgumentException">"InvalidDockerignorePattern".</exception>
    public static DockerIgnore FromPatterns(IEnumerable<string> patterns, string? sourceFile = null) =>
        new(patterns.Select(p => p.Trim()).Where(p => p.Length > 0).Select(p => new IgnorePattern(p)).ToList(), sourceFile);

    /// <summary>
    /// Loads the ignore file of a build: `&lt;Dockerfile name&gt;.dockerignore` beside the Dockerfile
    /// when it exists (BuildKit's per-Dockerfile ignore file), else `.dockerignore` at the context
    /// root, else <see cref="Empty"/>.
    /// </summary>
    /// <exception cref="InvalidArgumentException">"InvalidDockerignorePattern", naming the file.</exception>
    public static async Task<DockerIgnore> LoadAsync(string contextDirectory, string? dockerfilePath, CancellationToken cancellationToken)
    {
        var candidates = new List<string>();
        if (dockerfilePath is not null) candidates.Add(dockerfilePath + ".dockerignore");
        candidates.Add(Path.Combine(contextDirectory, ".dockerignore"));
        foreach (var file in candidates)
        {
            if (!File.Exists(file)) continue;
            var text = await File.ReadAllTextAsync(file, cancellationToken).ConfigureAwait(false);
            try
            {
                return Parse(text, file);
            }
            catch (InvalidArgumentException e)
            {
                throw new InvalidArgumentException(e.ErrorId, $"{file}: {e.Message}", file, e);
            }
        }
        return Empty;
    }

    /// <summary>
    /// Whether a context path (relative, '/'-separated) is excluded: the last pattern that matches
    /// the path or one of its parent directories decides (patternmatcher.MatchesOrParentMatches).
    /// </summary>
    public bool IsExcluded(string relativePath)
    {
        // Backslashes are ordinary characters in Linux names (and escapes in patterns).
        var file = CleanPath(relativePath).TrimStart('/');
        var slash = file.LastIndexOf('/');
        var parent = slash < 0 ? "." : file[..slash];
        var parentDirs = parent.Split('/');
        var matched = false;
        foreach (var pattern in Patterns)
        {
            // An inclusion cannot change an excluded path, nor an exception an included one.
            if (pattern.IsExclusion != matched) continue;
            var match = pattern.Matches(file);
            if (!match && parent != ".")
            {
                for (var i = 0; i < parentDirs.Length && !match; i++)
                    match = pattern.Matches(string.Join('/', parentDirs.Take(i + 1)));
            }
            if (match) matched = !pattern.IsExclusion;
        }
        return matched;
    }

    /// <summary>
    /// Whether an excluded directory must still be walked because a `!` pattern could re-include
    /// something below it (fsutil's rule, conservatively: the exception's directory components
    /// up to the first "**" could match the directory's).
    /// </summary>
    public bool MayIncludeBelow(string directory)
    {
        if (!HasExclusions) return false;
        var dirParts = CleanPath(directory).Trim('/').Split('/');
        foreach (var pattern in Patterns.Where(p => p.IsExclusion))
        {
            var parts = pattern.Text.Split('/');
            var possible = true;
            for (var i = 0; i < dirParts.Length; i++)
            {
                if (i >= parts.Length) { possible = false; break; }
                if (parts[i].Contains("**")) break;
                if (!new IgnorePattern(parts[i]).Matches(dirParts[i])) { possible = false; break; }
            }
            if (possible) return true;
        }
        return false;
    }

    /// <summary>Go's path.Clean on a '/'-separated path ("" → ".").</summary>
    public static string CleanPath(string path)
    {
        if (path.Length == 0) return ".";
        var rooted = path[0] == '/';
        var parts = new List<string>();
        foreach (var part in path.Split('/'))
        {
            if (part.Length == 0 || part == ".") continue;
            if (part == "..")
            {
                if (parts.Count > 0 && parts[^1] != "..") parts.RemoveAt(parts.Count - 1);
                else if (!rooted) parts.Add("..");
                continue;
            }
            parts.Add(part);
        }
        var joined = string.Join('/', parts);
        if (rooted) return "/" + joined;
        return joined.Length == 0 ? "." : joined;
    }
}
