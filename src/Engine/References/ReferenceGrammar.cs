using System.Text.RegularExpressions;

namespace ContainerPS.Engine.References;

/// <summary>
/// The image reference grammar of github.com/distribution/reference (regexp.go), which Docker,
/// containerd and Podman all share:
/// <code>
/// reference        := name [ ":" tag ] [ "@" digest ]
/// name             := [domain '/'] remote-name
/// domain           := host [':' port-number]
/// host             := domain-name | IPv4address | \[ IPv6address \]
/// domain-component := /([a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])/
/// path-component   := alpha-numeric [separator alpha-numeric]*
/// separator        := /[_.]|__|[-]+/
/// tag              := /[\w][\w.-]{0,127}/
/// digest           := algorithm ":" /[0-9a-fA-F]{32,}/
/// </code>
/// Differences from a literal transcription, all needed for identical behaviour under .NET:
/// Go's <c>\w</c> and <c>[[:xdigit:]]</c> are ASCII-only, so they are spelled out (in .NET
/// <c>\w</c> matches any Unicode letter); Go's <c>$</c> means end of text while .NET's also
/// matches before a trailing newline, so patterns end in <c>\z</c>.
/// Go's regexp picks the submatch a backtracking engine would pick first, so the greedy optional
/// domain group captures the same text here.
/// </summary>
internal static partial class ReferenceGrammar
{
    /// <summary>Docker Hub, as it appears in normalised names.</summary>
    public const string DefaultDomain = "docker.io";

    /// <summary>The legacy "Docker Index" host, canonicalised to <see cref="DefaultDomain"/>.</summary>
    public const string LegacyDefaultDomain = "index.docker.io";

    /// <summary>Namespace of official images on Docker Hub ("ubuntu" is "library/ubuntu").</summary>
    public const string OfficialRepoPrefix = "library/";

    /// <summary>Always treated as a registry host, even without a dot or port.</summary>
    public const string Localhost = "localhost";

    public const string DefaultTag = "latest";

    /// <summary>
    /// Maximum length of the path (the domain is not counted: distribution/reference v0.6.0,
    /// "Exclude domain from name length check", distribution/distribution#2668).
    /// </summary>
    public const int MaxPathLength = 255;

    public const int MaxTagLength = 128;

    private const string Alphanumeric = "[a-z0-9]+";
    private const string Separator = "(?:[._]|__|[-]+)";
    private const string PathComponent = Alphanumeric + "(?:" + Separator + Alphanumeric + ")*";
    private const string RemoteName = PathComponent + "(?:/" + PathComponent + ")*";

    private const string DomainNameComponent = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
    private const string DomainName = DomainNameComponent + @"(?:\." + DomainNameComponent + ")*";

    // Compressed or uncompressed IPv6 only: zone identifiers (RFC 6874) and IPv4-mapped
    // forms are deliberately excluded, as upstream does.
    private const string Ipv6Address = @"\[(?:[a-fA-F0-9:]+)\]";
    private const string Host = "(?:" + DomainName + "|" + Ipv6Address + ")";
    private const string OptionalPort = "(?::[0-9]+)?";
    private const string DomainAndPort = Host + OptionalPort;

    private const string Tag = "[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}";
    private const string DigestPattern = "[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*[:][0-9A-Fa-f]{32,}";
    private const string Identifier = "[a-f0-9]{64}";

    /// <summary>A name: optional domain (group "domain") and the path (group "path").</summary>
    [GeneratedRegex("^(?:(?<domain>" + DomainAndPort + ")/)?(?<path>" + RemoteName + @")\z", RegexOptions.CultureInvariant)]
    public static partial Regex AnchoredName();

    [GeneratedRegex("^" + DomainAndPort + @"\z", RegexOptions.CultureInvariant)]
    public static partial Regex AnchoredDomain();

    [GeneratedRegex("^" + RemoteName + @"\z", RegexOptions.CultureInvariant)]
    public static partial Regex AnchoredPath();

    [GeneratedRegex("^" + Tag + @"\z", RegexOptions.CultureInvariant)]
    public static partial Regex AnchoredTag();

    [GeneratedRegex("^" + DigestPattern + @"\z", RegexOptions.CultureInvariant)]
    public static partial Regex AnchoredDigest();

    /// <summary>A bare image ID (64 lowercase hex characters).</summary>
    [GeneratedRegex("^" + Identifier + @"\z", RegexOptions.CultureInvariant)]
    public static partial Regex AnchoredIdentifier();
}
