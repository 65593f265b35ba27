using System.Text.Json.Serialization;

namespace ContainerPS.Engine.Volumes;

/// <summary>
/// A volume of the local driver (docker volume inspect): its record is volumes/&lt;name&gt;/volume.json
/// and its content volumes/&lt;name&gt;/_data, unless driver options say to mount something else
/// (type/device/o, as Docker's local driver takes them).
/// </summary>
public sealed class Volume
{
    public string Name { get; set; } = "";

    /// <summary>Always "local" (the only driver).</summary>
    public string Driver { get; set; } = VolumeStore.LocalDriver;

    /// <summary>The host directory that holds the content (…/volumes/&lt;name&gt;/_data).</summary>
    [JsonIgnore]
    public string Mountpoint { get; set; } = "";

    public DateTimeOffset CreatedAt { get; set; }

    public Dictionary<string, string> Labels { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Local driver options: "type", "device", "o" (docker volume create -o).</summary>
    public Dictionary<string, string> Options { get; set; } = new(StringComparer.Ordinal);

    public string Scope { get; set; } = "local";

    /// <summary>Created for a container (an image VOLUME or -Volume /path): removed with Remove-Container -Volumes and by a plain prune.</summary>
    public bool Anonymous { get; set; }

    /// <summary>
    /// The -AutoRemove container this anonymous volume belongs to: it is removed once that
    /// container is gone (docker run --rm), by the next look at the volumes.
    /// </summary>
    public string? RemoveWith { get; set; }

    /// <summary>Names of the containers (any state) that mount it; filled when listed.</summary>
    [JsonIgnore]
    public IReadOnlyList<string> UsedBy { get; set; } = Array.Empty<string>();

    /// <summary>Bytes under <see cref="Mountpoint"/>; filled only by <see cref="VolumeStore.Measure"/>.</summary>
    [JsonIgnore]
    public long? Size { get; set; }

    public override string ToString() => Name;
}
