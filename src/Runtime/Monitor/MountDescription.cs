using System.Text.Json.Serialization;

namespace ContainerPS.Runtime.Monitor;

/// <summary>
/// A mount described rather than performed (containerd's snapshotter idea), so the monitor,
/// the builder, export and tests can each mount it where they need it, in their own private
/// mount namespace. For overlay, <see cref="WorkingDirectory"/> is the directory the relative
/// lowerdir paths are resolved from (short paths keep the options under one page).
/// </summary>
public sealed class MountDescription
{
    [JsonPropertyName("type")] public string Type { get; set; } = "overlay";
    [JsonPropertyName("source")] public string Source { get; set; } = "overlay";
    [JsonPropertyName("options")] public List<string> Options { get; set; } = new();
    [JsonPropertyName("workingDirectory")] public string? WorkingDirectory { get; set; }

    /// <summary>The data string passed to mount(2).</summary>
    public string Data => string.Join(',', Options);
}
