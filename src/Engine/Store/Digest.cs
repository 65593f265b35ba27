using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using ContainerPS.Engine.Errors;

namespace ContainerPS.Engine.Store;

/// <summary>
/// A content digest "algorithm:hex" (OCI image spec, descriptor.md). Only sha256 is produced;
/// sha512 is accepted when parsing so foreign descriptors can be read.
/// </summary>
[JsonConverter(typeof(DigestJsonConverter))]
public readonly record struct Digest(string Algorithm, string Hex) : IComparable<Digest>
{
    public override string ToString() => Algorithm + ":" + Hex;

    /// <summary>The first 12 hex characters, as docker shows image and container IDs.</summary>
    public string Short => Hex.Length > 12 ? Hex[..12] : Hex;

    public static Digest Parse(string value)
    {
        if (TryParse(value, out var d)) return d;
        throw new InvalidArgumentException("InvalidDigest", $"invalid digest \"{value}\": expected sha256:<64 lowercase hex characters>", value);
    }

    public static bool TryParse(string? value, out Digest digest)
    {
        digest = default;
        if (string.IsNullOrEmpty(value)) return false;
        var colon = value.IndexOf(':');
        if (colon <= 0) return false;
        var alg = value[..colon];
        var hex = value[(colon + 1)..];
        var expected = alg switch { "sha256" => 64, "sha512" => 128, _ => -1 };
        if (expected < 0 || hex.Length != expected) return false;
        foreach (var c in hex)
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
        digest = new Digest(alg, hex);
        return true;
    }

    public static Digest FromHash(byte[] sha256) => new("sha256", Convert.ToHexString(sha256).ToLowerInvariant());

    public static Digest Compute(ReadOnlySpan<byte> content) => FromHash(SHA256.HashData(content));

    public static async Task<Digest> ComputeAsync(Stream stream, CancellationToken cancellationToken = default) =>
        FromHash(await SHA256.HashDataAsync(stream, cancellationToken).ConfigureAwait(false));

    public int CompareTo(Digest other) => string.CompareOrdinal(ToString(), other.ToString());

    private sealed class DigestJsonConverter : JsonConverter<Digest>
    {
        public override Digest Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            Parse(reader.GetString() ?? throw new JsonException("digest must be a string"));

        public override void Write(Utf8JsonWriter writer, Digest value, JsonSerializerOptions options) =>
            writer.WriteStringValue(value.ToString());
    }
}
