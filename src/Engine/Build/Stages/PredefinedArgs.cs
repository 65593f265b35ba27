namespace ContainerPS.Engine.Build.Stages;

/// <summary>
/// Build arguments Docker knows without an ARG: the proxy variables (usable by RUN when given
/// with -BuildArg, kept out of history unless the Dockerfile declares them) and BuildKit's
/// automatic platform arguments (set in the global scope; a stage must declare `ARG TARGETOS`
/// to use one).
/// </summary>
public static class PredefinedArgs
{
    public static IReadOnlyList<string> Proxy { get; } = new[]
    {
        "HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy", "FTP_PROXY", "ftp_proxy",
        "NO_PROXY", "no_proxy", "ALL_PROXY", "all_proxy",
    };

    public static bool IsProxy(string name) => Proxy.Contains(name, StringComparer.Ordinal);

    /// <summary>TARGETPLATFORM, TARGETOS, TARGETARCH, TARGETVARIANT, BUILDPLATFORM, BUILDOS, BUILDARCH, BUILDVARIANT.</summary>
    public static IReadOnlyDictionary<string, string> Platform(BuildPlatform target, BuildPlatform build) => new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["TARGETPLATFORM"] = target.ToString(),
        ["TARGETOS"] = target.OS,
        ["TARGETARCH"] = target.Architecture,
        ["TARGETVARIANT"] = target.Variant ?? "",
        ["BUILDPLATFORM"] = build.ToString(),
        ["BUILDOS"] = build.OS,
        ["BUILDARCH"] = build.Architecture,
        ["BUILDVARIANT"] = build.Variant ?? "",
    };
}
