using System.Text.RegularExpressions;
using ContainerPS.Module.Formatting;

namespace ContainerPS.Module.Containers;

/// <summary>
/// docker ps's column forms, for the Container table view
/// (<c>[ContainerPS.Module.Containers.ContainerDisplay]::Command($_.Command)</c>).
/// </summary>
public static partial class ContainerDisplay
{
    /// <summary>The COMMAND width docker ps truncates to.</summary>
    public const int CommandWidth = 20;

    [GeneratedRegex("^(sha256:)?[0-9a-f]{64}$", RegexOptions.CultureInvariant)]
    private static partial Regex ImageIdPattern();

    /// <summary>The command quoted and cut to 20 characters, as docker ps shows it: "sleep 1000", "docker-entrypoint.s…".</summary>
    public static string Command(string? command) =>
        "\"" + DisplayFormat.Truncate(command ?? "", CommandWidth) + "\"";

    /// <summary>The image as given, or its short ID when it was given as a full ID.</summary>
    public static string Image(string? image) =>
        image is not null && ImageIdPattern().IsMatch(image) ? DisplayFormat.ShortId(image) : image ?? "";
}
