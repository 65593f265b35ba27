using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using ContainerPS.Engine.Errors;

namespace ContainerPS.Engine.Images;

/// <summary>JSON settings for image metadata: omit nulls (as Go's omitempty), no HTML escaping.</summary>
public static class ImageJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        PropertyNameCaseInsensitive = false,
        Converters = { new GoTimeJsonConverter() },
    };

    public static byte[] Serialize<T>(T value) => JsonSerializer.SerializeToUtf8Bytes(value, Options);

    /// <summary>Parses JSON, turning malformed input into an error that names what was being read.</summary>
    public static T Deserialize<T>(ReadOnlySpan<byte> json, string what)
    {
        try
        {
            return JsonSerializer.Deserialize<T>(json, Options) ?? throw new JsonException("null document");
        }
        catch (JsonException ex)
        {
            throw new InvalidArgumentException("InvalidImageMetadata", $"{what}: invalid JSON: {ex.Message}", what, ex);
        }
        catch (EngineException ex) when (ex.ErrorId == "InvalidDigest")
        {
            throw new InvalidArgumentException("InvalidImageMetadata", $"{what}: {ex.Message}", what, ex);
        }
    }
}
