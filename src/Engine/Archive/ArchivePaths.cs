namespace ContainerPS.Engine.Archive;

/// <summary>Path normalisation for names inside image archives ("./a/../b" → "b").</summary>
internal static class ArchivePaths
{
    public static string Normalize(string path)
    {
        var parts = new List<string>();
        foreach (var p in path.Replace('\\', '/').Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (p == ".") continue;
            if (p == "..") { if (parts.Count > 0) parts.RemoveAt(parts.Count - 1); continue; }
            parts.Add(p);
        }
        return string.Join('/', parts);
    }

    /// <summary>Resolves a symlink target relative to the directory of the link entry.</summary>
    public static string ResolveLink(string linkPath, string target)
    {
        if (target.StartsWith('/')) return Normalize(target);
        var dir = Normalize(linkPath);
        var slash = dir.LastIndexOf('/');
        dir = slash < 0 ? "" : dir[..slash];
        return Normalize(dir.Length == 0 ? target : dir + "/" + target);
    }
}
