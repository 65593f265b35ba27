using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ContainerPS.Engine.Images;

/// <summary>
/// Writes times as Go's time.Time marshals them (RFC 3339 with trailing fractional zeros
/// trimmed, "Z" for UTC). Image configs written here then re-marshal byte-identically in
/// Go tools (skopeo, podman, docker), so image IDs survive a round trip through them.
/// </summary>
public sealed class GoTimeJsonConverter : JsonConverter<DateTimeOffset>
{
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        DateTimeOffset.Parse(reader.GetString() ?? throw new JsonException("time must be a string"), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
        writer.WriteStringValue(Format(value));

    public static string Format(DateTimeOffset value)
    {
        var utc = value.ToUniversalTime();
        // "FFFFFFF" drops trailing zeros and the dot with them when the fraction is zero, as Go does.
        return utc.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture) + "Z";
    }
}
