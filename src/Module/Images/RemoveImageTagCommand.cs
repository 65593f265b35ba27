using System.Management.Automation;
using ContainerPS.Engine.Images;
using ContainerPS.Module.Completion;
using ContainerPS.Module.Infrastructure;

namespace ContainerPS.Module.Images;

/// <summary>
/// Removes names from images without deleting them: an image whose last name goes stays in
/// the store as a dangling (&lt;none&gt;) image. Remove-Image deletes as well.
/// </summary>
[Cmdlet(VerbsCommon.Remove, "ImageTag", DefaultParameterSetName = ReferenceSet,
    SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(ImageDeleteResult))]
public sealed class RemoveImageTagCommand : EngineCmdlet
{
    private const string ReferenceSet = "Reference";
    private const string InputObjectSet = "InputObject";

    /// <summary>The names to remove ("myapp:1.0"); wildcards remove every matching name.</summary>
    [Parameter(ParameterSetName = ReferenceSet, Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("RepoTags")]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ImageReferenceCompleter))]
    public string[] Reference { get; set; } = Array.Empty<string>();

    /// <summary>Images from Get-Image: every name of each is removed.</summary>
    [Parameter(ParameterSetName = InputObjectSet, Mandatory = true, ValueFromPipeline = true)]
    [ValidateNotNull]
    public Image[] InputObject { get; set; } = Array.Empty<Image>();

    /// <summary>Writes an ImageDeleteResult ("Untagged: name") per name removed.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        if (ParameterSetName == InputObjectSet)
        {
            foreach (var image in InputObject)
            foreach (var name in image.RepoTags.ToList())
                Untag(name, image);
            return;
        }

        foreach (var reference in Reference)
        {
            if (!ImageMatcher.HasWildcards(reference))
            {
                Untag(reference, reference);
                continue;
            }

            var pattern = ImageMatcher.Pattern(reference);
            if (!TryEngine(() => ImageStore.List(), reference, out var images)) continue;
            foreach (var name in images.SelectMany(i => ImageMatcher.MatchingTags(i, pattern)).Distinct(StringComparer.Ordinal).ToList())
                Untag(name, name);
        }
    }

    private void Untag(string name, object target)
    {
        if (!ShouldProcess(name, "Remove tag")) return;
        if (TryEngine(() => ImageStore.Untag(name), target, out var result) && PassThru) WriteObject(result);
    }
}
