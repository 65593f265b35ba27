using System.Management.Automation;
using ContainerPS.Engine.Images;
using ContainerPS.Module.Completion;
using ContainerPS.Module.Infrastructure;

namespace ContainerPS.Module.Images;

/// <summary>
/// Removes images (docker rmi): a name is untagged, and the image is deleted once no name
/// points at it. Writes one <see cref="ImageDeleteResult"/> per name untagged and per image
/// deleted, as docker rmi prints them.
/// </summary>
[Cmdlet(VerbsCommon.Remove, "Image", DefaultParameterSetName = ReferenceSet,
    SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(ImageDeleteResult))]
public sealed class RemoveImageCommand : EngineCmdlet
{
    private const string ReferenceSet = "Reference";
    private const string IdSet = "Id";
    private const string InputObjectSet = "InputObject";

    /// <summary>Names to remove ("busybox:latest"); wildcards remove every matching name.</summary>
    [Parameter(ParameterSetName = ReferenceSet, Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("Image")]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ImageReferenceCompleter))]
    public string[] Reference { get; set; } = Array.Empty<string>();

    /// <summary>Image IDs or unique prefixes.</summary>
    [Parameter(ParameterSetName = IdSet, Mandatory = true, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ImageIdCompleter))]
    public string[] Id { get; set; } = Array.Empty<string>();

    /// <summary>Images from Get-Image.</summary>
    [Parameter(ParameterSetName = InputObjectSet, Mandatory = true, ValueFromPipeline = true)]
    [ValidateNotNull]
    public Image[] InputObject { get; set; } = Array.Empty<Image>();

    /// <summary>Removes an image that has several names, or that stopped containers use (docker rmi -f).</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override void ProcessRecord()
    {
        switch (ParameterSetName)
        {
            case InputObjectSet:
                // A row of Get-Image stands for one name: remove that name (the image goes
                // with its last name), as `docker rmi repo:tag` does; a whole image by ID.
                foreach (var image in InputObject)
                {
                    if (image.Name is { } name) Remove(name, name, image);
                    else Remove(image.Id, Describe(image), image);
                }
                break;
            case IdSet:
                foreach (var id in Id)
                {
                    if (!ImageMatcher.HasWildcards(id)) Remove(id, id, id);
                    else foreach (var image in List().Where(i => ImageMatcher.MatchesId(i, id))) Remove(image.Id, Describe(image), image);
                }
                break;
            default:
                foreach (var reference in Reference)
                {
                    if (!ImageMatcher.HasWildcards(reference)) Remove(reference, reference, reference);
                    else RemoveMatching(reference);
                }
                break;
        }
    }

    private void RemoveMatching(string reference)
    {
        var pattern = ImageMatcher.Pattern(reference);
        var names = List().SelectMany(image => ImageMatcher.MatchingTags(image, pattern)).Distinct(StringComparer.Ordinal).ToList();
        foreach (var name in names) Remove(name, name, name);
    }

    private IReadOnlyList<Image> List()
    {
        if (!TryEngine(() => ImageStore.List(), null, out var images)) return Array.Empty<Image>();
        return images;
    }

    private void Remove(string nameOrId, string description, object target)
    {
        if (!ShouldProcess(description, "Remove image")) return;
        if (!TryEngine(() => ImageStore.Remove(nameOrId, Force.IsPresent), target, out var results)) return;
        foreach (var result in results) WriteObject(result);
    }

    private static string Describe(Image image) =>
        image.RepoTags.Count > 0 ? $"{string.Join(", ", image.RepoTags)} ({image.ShortId})" : image.ShortId;
}
