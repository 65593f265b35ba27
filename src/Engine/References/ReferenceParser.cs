using System.Diagnostics.CodeAnalysis;
using StoreDigest = ContainerPS.Engine.Store.Digest;

namespace ContainerPS.Engine.References;

/// <summary>
/// ParseNormalizedNamed of github.com/distribution/reference (normalize.go, reference.go):
/// decide the registry host the way the docker CLI does, then validate the fully-qualified
/// string against <see cref="ReferenceGrammar"/>. Failures return a message instead of
/// throwing so that <see cref="ImageReference.TryParse"/> stays cheap.
/// </summary>
internal static class ReferenceParser
{
    private const string PathRules =
        "path components may contain only lowercase letters and digits, separated by '.', '_', '__' or dashes, and are joined by single '/'";

    public static bool TryParseNormalized(string input, [NotNullWhen(true)] out ImageReference? reference, [NotNullWhen(false)] out string? error)
    {
        reference = null;
        if (input.Length == 0)
        {
            error = Fail(input, "repository name must have at least one component");
            return false;
        }

        // A bare image ID is refused as a repository name, as Docker does, so that
        // "docker run <id>" can never silently pull a repository named like an ID.
        if (ReferenceGrammar.AnchoredIdentifier().IsMatch(input))
        {
            error = $"invalid repository name ({input}), cannot specify 64-byte hexadecimal strings";
            return false;
        }

        var (domain, remainder) = SplitDockerDomain(input);

        // Upstream checks case on everything before the first ':' of the remainder (so the
        // domain may be uppercase, the path may not), before the grammar is applied. Stopping
        // at '@' as well changes no outcome (an uppercase digest algorithm is refused below as
        // unsupported) but keeps "busybox@SHA256:..." from being reported as an uppercase name.
        var end = remainder.AsSpan().IndexOfAny(':', '@');
        var remote = end >= 0 ? remainder[..end] : remainder;
        if (!string.Equals(remote.ToLowerInvariant(), remote, StringComparison.Ordinal))
        {
            error = Fail(input, $"repository name ({remote}) must be lowercase");
            return false;
        }

        return TryParseQualified(input, domain + "/" + remainder, out reference, out error);
    }

    public static bool IsValidTag(string tag) => ReferenceGrammar.AnchoredTag().IsMatch(tag);

    /// <summary>
    /// splitDockerDomain: the first '/'-separated element is a registry host when it is
    /// "localhost", contains '.' or ':', or has uppercase letters (namespaces never do);
    /// otherwise the reference is on Docker Hub, where single-element paths get "library/".
    /// </summary>
    internal static (string Domain, string Remainder) SplitDockerDomain(string name)
    {
        var slash = name.IndexOf('/');
        if (slash < 0)
        {
            // Familiar single-element names ("ubuntu", "ubuntu:22.04") are never host:port.
            return (ReferenceGrammar.DefaultDomain, ReferenceGrammar.OfficialRepoPrefix + name);
        }

        var maybeDomain = name[..slash];
        var maybeRemote = name[(slash + 1)..];
        string domain, remote;
        if (maybeDomain == ReferenceGrammar.Localhost)
            (domain, remote) = (maybeDomain, maybeRemote);
        else if (maybeDomain == ReferenceGrammar.LegacyDefaultDomain)
            (domain, remote) = (ReferenceGrammar.DefaultDomain, maybeRemote);
        else if (maybeDomain.AsSpan().IndexOfAny('.', ':') >= 0)
            (domain, remote) = (maybeDomain, maybeRemote);
        else if (!string.Equals(maybeDomain.ToLowerInvariant(), maybeDomain, StringComparison.Ordinal))
            (domain, remote) = (maybeDomain, maybeRemote);
        else
            (domain, remote) = (ReferenceGrammar.DefaultDomain, name);

        if (domain == ReferenceGrammar.DefaultDomain && !remote.Contains('/'))
            remote = ReferenceGrammar.OfficialRepoPrefix + remote;
        return (domain, remote);
    }

    /// <summary>reference.Parse applied to "domain/remainder".</summary>
    private static bool TryParseQualified(string input, string qualified, [NotNullWhen(true)] out ImageReference? reference, [NotNullWhen(false)] out string? error)
    {
        reference = null;
        var parts = Split(qualified);
        var problem = CheckGrammar(parts, out var nameMatch);
        if (problem is not null)
        {
            // Upstream reports "must be lowercase" when lower-casing alone would make it valid.
            var lower = qualified.ToLowerInvariant();
            if (!string.Equals(lower, qualified, StringComparison.Ordinal) && CheckGrammar(Split(lower), out _) is null)
                problem = "repository name must be lowercase";
            error = Fail(input, problem);
            return false;
        }

        var domainGroup = nameMatch!.Groups["domain"];
        if (!domainGroup.Success)
        {
            // The first element looked like a host (it has '.' or ':') but is not one, e.g.
            // "foo_bar.com/app". Upstream then parses the whole thing as a path on an empty
            // domain, which no registry can serve; refuse it instead.
            var host = parts.Name[..parts.Name.IndexOf('/')];
            error = Fail(input, $"registry host \"{host}\" is not a valid host name");
            return false;
        }

        var path = nameMatch.Groups["path"].Value;
        if (path.Length > ReferenceGrammar.MaxPathLength)
        {
            error = Fail(input, $"repository name must not be more than {ReferenceGrammar.MaxPathLength} characters (the path is {path.Length})");
            return false;
        }

        StoreDigest? digest = null;
        if (parts.Digest is not null)
        {
            if (!TryParseDigest(parts.Digest, out var parsed, out problem))
            {
                error = Fail(input, problem);
                return false;
            }
            digest = parsed;
        }

        reference = new ImageReference(domainGroup.Value, path, parts.Tag, digest);
        error = null;
        return true;
    }

    /// <summary>
    /// Splits name[:tag][@digest]. Neither the name nor the tag may contain '@', and a ':' in a
    /// name only occurs in its domain, before a '/'; so these splits give exactly the groups of
    /// upstream's ReferenceRegexp.
    /// </summary>
    private static (string Name, string? Tag, string? Digest) Split(string qualified)
    {
        string nameAndTag = qualified;
        string? digest = null;
        var at = qualified.IndexOf('@');
        if (at >= 0)
        {
            nameAndTag = qualified[..at];
            digest = qualified[(at + 1)..];
        }

        var colon = nameAndTag.LastIndexOf(':');
        if (colon > nameAndTag.LastIndexOf('/'))
            return (nameAndTag[..colon], nameAndTag[(colon + 1)..], digest);
        return (nameAndTag, null, digest);
    }

    private static string? CheckGrammar((string Name, string? Tag, string? Digest) parts, out System.Text.RegularExpressions.Match? nameMatch)
    {
        nameMatch = ReferenceGrammar.AnchoredName().Match(parts.Name);
        if (!nameMatch.Success) return DescribeBadName(parts.Name);
        if (parts.Tag is not null && !IsValidTag(parts.Tag)) return DescribeBadTag(parts.Tag);
        if (parts.Digest is not null && !ReferenceGrammar.AnchoredDigest().IsMatch(parts.Digest)) return DescribeBadDigest(parts.Digest);
        return null;
    }

    private static string DescribeBadName(string name)
    {
        var slash = name.IndexOf('/');
        if (slash >= 0 && !ReferenceGrammar.AnchoredDomain().IsMatch(name[..slash]))
            return $"registry host \"{name[..slash]}\" is not a valid host name";
        var path = slash >= 0 ? name[(slash + 1)..] : name;
        if (path.Length == 0 || path.EndsWith('/') || path.StartsWith('/') || path.Contains("//", StringComparison.Ordinal))
            return $"repository path \"{path}\" has an empty component";
        return $"repository path \"{path}\" is not valid: {PathRules}";
    }

    private static string DescribeBadTag(string tag)
    {
        if (tag.Length == 0) return "tag is empty (nothing after ':')";
        if (tag.Length > ReferenceGrammar.MaxTagLength)
            return $"tag must not be more than {ReferenceGrammar.MaxTagLength} characters (it is {tag.Length})";
        return $"tag \"{tag}\" is not valid: it may contain only ASCII letters, digits, '_', '.' and '-', and must not start with '.' or '-'";
    }

    private static string DescribeBadDigest(string digest) => digest.Length == 0
        ? "digest is empty (nothing after '@')"
        : $"digest \"{digest}\" is not valid: expected algorithm:hex, e.g. sha256:<64 hex characters>";

    /// <summary>
    /// go-digest's Parse, after the grammar has matched: the algorithm must be supported, the
    /// hex must have its length and be lowercase. Only the algorithms <see cref="StoreDigest"/>
    /// knows are supported (sha256, sha512).
    /// </summary>
    private static bool TryParseDigest(string text, out StoreDigest digest, [NotNullWhen(false)] out string? problem)
    {
        if (StoreDigest.TryParse(text, out digest))
        {
            problem = null;
            return true;
        }

        var colon = text.IndexOf(':');
        var algorithm = text[..colon];
        var hex = text[(colon + 1)..];
        var expected = algorithm switch { "sha256" => 64, "sha512" => 128, _ => -1 };
        problem = expected < 0
            ? $"unsupported digest algorithm \"{algorithm}\" (supported: sha256, sha512)"
            : hex.Length != expected
                ? $"invalid checksum digest length: {algorithm} needs {expected} hex characters, got {hex.Length}"
                : "invalid checksum digest format: the hex must be lowercase";
        return false;
    }

    private static string Fail(string input, string problem) => $"invalid reference format \"{input}\": {problem}";
}
