using System.Management.Automation;
using ContainerPS.Engine.Images;

namespace ContainerPS.Module.Images;

/// <summary>
/// How the image cmdlets match what the user typed against local images: references as
/// PowerShell wildcards over the tagged names and their repositories (so "busybox" finds
/// every busybox tag, as `docker images busybox` does), IDs by prefix with or without
/// "sha256:".
/// </summary>
internal static class ImageMatcher
{
    private const string Sha256Prefix = "sha256:";

    public static WildcardPattern Pattern(string text) =>
        new(text, WildcardOptions.IgnoreCase | WildcardOptions.CultureInvariant);

    public static bool HasWildcards(string text) => WildcardPattern.ContainsWildcardCharacters(text);

    /// <summary>The repository part of a tagged name: "localhost:5000/app:1" → "localhost:5000/app".</summary>
    public static string RepositoryOf(string repoTag)
    {
        var slash = repoTag.LastIndexOf('/');
        var colon = repoTag.LastIndexOf(':');
        return colon > slash ? repoTag[..colon] : repoTag;
    }

    /// <summary>The names of <paramref name="image"/> that <paramref name="pattern"/> matches, by full name or by repository.</summary>
    public static IEnumerable<string> MatchingTags(Image image, WildcardPattern pattern) =>
        image.RepoTags.Where(tag => pattern.IsMatch(tag) || pattern.IsMatch(RepositoryOf(tag)));

    public static bool MatchesReference(Image image, WildcardPattern pattern) => MatchingTags(image, pattern).Any();

    /// <summary>"sha256:abc…" or "abc…" (or a wildcard over either) against the image ID.</summary>
    public static bool MatchesId(Image image, string idOrPrefix)
    {
        var hex = Hex(image.Id);
        if (HasWildcards(idOrPrefix))
        {
            var pattern = Pattern(idOrPrefix);
            return pattern.IsMatch(image.Id) || pattern.IsMatch(hex);
        }

        var wanted = Hex(idOrPrefix.Trim());
        return wanted.Length > 0 && hex.StartsWith(wanted, StringComparison.OrdinalIgnoreCase);
    }

    private static string Hex(string id) =>
        id.StartsWith(Sha256Prefix, StringComparison.OrdinalIgnoreCase) ? id[Sha256Prefix.Length..] : id;
}
