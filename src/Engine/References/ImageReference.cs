using System.Diagnostics.CodeAnalysis;
using ContainerPS.Engine.Errors;
using ContainerPS.Engine.Store;
using StoreDigest = ContainerPS.Engine.Store.Digest;

namespace ContainerPS.Engine.References;

/// <summary>
/// A normalised image reference, parsed exactly as the docker CLI does
/// (github.com/distribution/reference ParseNormalizedNamed): "busybox" is
/// docker.io/library/busybox, "myuser/app:1" is docker.io/myuser/app:1,
/// "localhost:5000/a/b@sha256:..." keeps its registry. Immutable, with value equality.
/// </summary>
public sealed class ImageReference : IEquatable<ImageReference>
{
    internal ImageReference(string domain, string path, string? tag, Digest? digest)
    {
        Domain = domain;
        Path = path;
        Tag = tag;
        Digest = digest;
    }

    /// <summary>Registry host with optional port: "docker.io", "localhost:5000", "[::1]:5000".</summary>
    public string Domain { get; }

    /// <summary>Repository path inside the registry: "library/busybox", "myuser/app".</summary>
    public string Path { get; }

    /// <summary>The tag, or null when none was given.</summary>
    public string? Tag { get; }

    /// <summary>The digest, or null when none was given.</summary>
    public Digest? Digest { get; }

    /// <summary>Fully-qualified repository name: "docker.io/library/busybox".</summary>
    public string Repository => Domain + "/" + Path;

    /// <summary>
    /// The repository as the docker CLI shows it (FamiliarName): Docker Hub's domain is dropped,
    /// and so is "library/" for official images: "busybox", "myuser/app", "localhost:5000/a/b".
    /// </summary>
    public string FamiliarRepository
    {
        get
        {
            if (Domain != ReferenceGrammar.DefaultDomain) return Repository;
            if (Path.StartsWith(ReferenceGrammar.OfficialRepoPrefix, StringComparison.Ordinal))
            {
                var rest = Path[ReferenceGrammar.OfficialRepoPrefix.Length..];
                // "library/foo/bar" stays as is: only single-element official names are shortened.
                if (!rest.Contains('/')) return rest;
            }
            return Path;
        }
    }

    /// <summary>The reference as the docker CLI shows it: "busybox:latest", "localhost:5000/a/b:t", "busybox@sha256:...".</summary>
    public string FamiliarString => Format(FamiliarRepository);

    /// <summary>True when the reference has neither a tag nor a digest.</summary>
    public bool IsNameOnly => Tag is null && Digest is null;

    /// <summary>Parses and normalises a reference as ParseNormalizedNamed does; a tag and a digest may both be present.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="value"/> is null.</exception>
    /// <exception cref="InvalidArgumentException">
    /// ErrorId "InvalidReference": the value is not a valid reference (the message quotes it and says
    /// which part is wrong), including a bare 64-hex string, which Docker refuses as ambiguous with an image ID.
    /// </exception>
    public static ImageReference Parse(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (ReferenceParser.TryParseNormalized(value, out var reference, out var error)) return reference;
        throw new InvalidArgumentException("InvalidReference", error, value);
    }

    /// <summary>Like <see cref="Parse"/> but returns false instead of throwing (also for null).</summary>
    public static bool TryParse([NotNullWhen(true)] string? value, [NotNullWhen(true)] out ImageReference? reference)
    {
        reference = null;
        return value is not null && ReferenceParser.TryParseNormalized(value, out reference, out _);
    }

    /// <summary>
    /// Parses like ParseDockerRef, the form used to name what is stored: a reference with both a
    /// tag and a digest keeps only the digest, a bare name gets the tag "latest".
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="value"/> is null.</exception>
    /// <exception cref="InvalidArgumentException">ErrorId "InvalidReference", as for <see cref="Parse"/>.</exception>
    public static ImageReference ParseDockerRef(string value)
    {
        var reference = Parse(value);
        return reference.Tag is not null && reference.Digest is not null
            ? new ImageReference(reference.Domain, reference.Path, null, reference.Digest)
            : reference.WithDefaultTag();
    }

    /// <summary>True when <paramref name="tag"/> is a valid tag: [A-Za-z0-9_][A-Za-z0-9_.-]{0,127}.</summary>
    public static bool IsValidTag([NotNullWhen(true)] string? tag) => tag is not null && ReferenceParser.IsValidTag(tag);

    /// <summary>Adds the tag "latest" when there is neither a tag nor a digest (TagNameOnly); otherwise returns this.</summary>
    public ImageReference WithDefaultTag() =>
        IsNameOnly ? new ImageReference(Domain, Path, ReferenceGrammar.DefaultTag, null) : this;

    /// <summary>The same repository with <paramref name="tag"/>; a digest, if any, is kept.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="tag"/> is null.</exception>
    /// <exception cref="InvalidArgumentException">ErrorId "InvalidTag": the tag does not match the tag grammar.</exception>
    public ImageReference WithTag(string tag)
    {
        ArgumentNullException.ThrowIfNull(tag);
        if (!IsValidTag(tag))
        {
            throw new InvalidArgumentException("InvalidTag",
                $"invalid tag \"{tag}\": a tag is 1 to 128 ASCII letters, digits, '_', '.' and '-', and must not start with '.' or '-'", tag);
        }
        return new ImageReference(Domain, Path, tag, Digest);
    }

    /// <summary>The same repository with <paramref name="digest"/>; a tag, if any, is kept.</summary>
    /// <exception cref="InvalidArgumentException">ErrorId "InvalidDigest": the digest is not well formed (e.g. default).</exception>
    public ImageReference WithDigest(Digest digest)
    {
        if (!StoreDigest.TryParse(digest.ToString(), out var checkedDigest))
            throw new InvalidArgumentException("InvalidDigest", $"invalid digest \"{digest}\": expected sha256:<64 lowercase hex characters>", digest);
        return new ImageReference(Domain, Path, Tag, checkedDigest);
    }

    /// <summary>Just the repository (TrimNamed).</summary>
    public ImageReference WithoutTagOrDigest() => IsNameOnly ? this : new ImageReference(Domain, Path, null, null);

    /// <summary>The fully-qualified reference: "docker.io/library/busybox:latest@sha256:...".</summary>
    public override string ToString() => Format(Repository);

    public bool Equals(ImageReference? other) =>
        other is not null
        && string.Equals(Domain, other.Domain, StringComparison.Ordinal)
        && string.Equals(Path, other.Path, StringComparison.Ordinal)
        && string.Equals(Tag, other.Tag, StringComparison.Ordinal)
        && Nullable.Equals(Digest, other.Digest);

    public override bool Equals(object? obj) => Equals(obj as ImageReference);

    public override int GetHashCode() =>
        HashCode.Combine(StringComparer.Ordinal.GetHashCode(Domain), StringComparer.Ordinal.GetHashCode(Path),
            Tag is null ? 0 : StringComparer.Ordinal.GetHashCode(Tag), Digest);

    public static bool operator ==(ImageReference? left, ImageReference? right) => left is null ? right is null : left.Equals(right);

    public static bool operator !=(ImageReference? left, ImageReference? right) => !(left == right);

    private string Format(string repository)
    {
        var result = repository;
        if (Tag is not null) result += ":" + Tag;
        if (Digest is { } digest) result += "@" + digest;
        return result;
    }
}
