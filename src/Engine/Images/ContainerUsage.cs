using System.Text.Json;

namespace ContainerPS.Engine.Images;

/// <summary>
/// Finds containers that use an image by reading container records
/// (containers/&lt;id&gt;/container.json with "Id", "Name" and "ImageId"), so images in use are
/// not deleted. The container side of the engine owns that format.
/// </summary>
internal static class ContainerUsage
{
    public static IReadOnlyList<string> Scan(string containersDir, string imageId) =>
        Records(containersDir).Where(r => r.ImageId == imageId).Select(r => r.Id).ToList();

    /// <summary>Every image ID any container record references (GC roots).</summary>
    public static IReadOnlySet<string> AllImageIds(string containersDir) =>
        Records(containersDir).Select(r => r.ImageId).ToHashSet(StringComparer.Ordinal);

    private static List<(string Id, string ImageId)> Records(string containersDir)
    {
        var users = new List<(string, string)>();
        if (!Directory.Exists(containersDir)) return users;
        foreach (var dir in Directory.EnumerateDirectories(containersDir))
        {
            var file = Path.Combine(dir, "container.json");
            if (!File.Exists(file)) continue;
            try
            {
                using var doc = JsonDocument.Parse(File.ReadAllBytes(file));
                if (!doc.RootElement.TryGetProperty("ImageId", out var img) || img.GetString() is not { } imageId) continue;
                var id = doc.RootElement.TryGetProperty("Id", out var idProp) ? idProp.GetString() : null;
                users.Add((id ?? Path.GetFileName(dir), imageId));
            }
            catch (JsonException) { }
            catch (IOException) { }
        }
        return users;
    }
}
