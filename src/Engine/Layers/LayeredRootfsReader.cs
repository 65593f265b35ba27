using ContainerPS.Engine.Containers.Spec;
using ContainerPS.Engine.Interop;

namespace ContainerPS.Engine.Layers;

/// <summary>
/// Reads files of an image's root file system straight from its unpacked layers, without
/// mounting: the topmost layer that has the path wins, and an overlay whiteout (character
/// device 0:0) or an opaque directory above it hides the layers below, as overlayfs would.
/// Used to resolve USER names from /etc/passwd before a container exists.
/// </summary>
public sealed class LayeredRootfsReader : IRootfsReader
{
    private readonly IReadOnlyList<string> _topFirst;

    /// <param name="diffDirsTopFirst">Layer diff directories, topmost first (container upper dir first, if any).</param>
    public LayeredRootfsReader(IReadOnlyList<string> diffDirsTopFirst) => _topFirst = diffDirsTopFirst;

    public string? ReadFile(string pathInRootfs)
    {
        var relative = pathInRootfs.TrimStart('/');
        var parts = relative.Split('/', StringSplitOptions.RemoveEmptyEntries);
        foreach (var layer in _topFirst)
        {
            var full = Path.Combine(layer, relative);
            var info = new FileInfo(full);
            if (info.Exists)
            {
                if (info.LinkTarget is not null) return null; // a link inside the image: not followed here
                if (IsWhiteout(full)) return null;
                return File.ReadAllText(full);
            }
            if (HidesBelow(layer, parts)) return null;
        }
        return null;
    }

    /// <summary>Whether a whiteout or an opaque directory in this layer hides the path in lower layers.</summary>
    private static bool HidesBelow(string layer, string[] parts)
    {
        var current = layer;
        for (var i = 0; i < parts.Length; i++)
        {
            current = Path.Combine(current, parts[i]);
            if (File.Exists(current) && IsWhiteout(current)) return true;
            if (!Directory.Exists(current)) return false;
            if (i < parts.Length - 1 && FileSystem.GetXattr(current, "trusted.overlay.opaque") is [(byte)'y']) return true;
        }
        return false;
    }

    private static bool IsWhiteout(string path)
    {
        return FileSystem.TryLStat(path, out var s) && s.IsCharacterDevice && s.RDevice == 0;
    }
}
