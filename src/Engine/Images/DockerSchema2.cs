using System.Text.Json;
using ContainerPS.Engine.Store;

namespace ContainerPS.Engine.Images;

/// <summary>
/// Writes Docker v2 schema 2 manifests byte-for-byte as Go's encoding/json does for
/// distribution's schema2 types (field order mediaType, size, digest; no whitespace), so a
/// manifest generated for a docker-archive image has the digest other tools compute too.
/// </summary>
public static class DockerSchema2
{
    public static byte[] Manifest(Digest config, long configSize, IReadOnlyList<(string MediaType, long Size, Digest Digest)> layers)
    {
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms))
        {
            w.WriteStartObject();
            w.WriteNumber("schemaVersion", 2);
            w.WriteString("mediaType", MediaTypes.DockerManifest);
            w.WritePropertyName("config");
            Descriptor(w, MediaTypes.DockerConfig, configSize, config);
            w.WriteStartArray("layers");
            foreach (var l in layers) Descriptor(w, l.MediaType, l.Size, l.Digest);
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return ms.ToArray();
    }

    private static void Descriptor(Utf8JsonWriter w, string mediaType, long size, Digest digest)
    {
        w.WriteStartObject();
        w.WriteString("mediaType", mediaType);
        w.WriteNumber("size", size);
        w.WriteString("digest", digest.ToString());
        w.WriteEndObject();
    }
}
