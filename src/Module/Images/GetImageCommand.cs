using System.Management.Automation;
using ContainerPS.Engine.Errors;
using ContainerPS.Engine.Images;
using ContainerPS.Module.Completion;
using ContainerPS.Module.Infrastructure;

namespace ContainerPS.Module.Images;

/// <summary>
/// Gets images from the local store (docker images, and docker image inspect: the objects
/// carry every property). Help text lives in en-US/ContainerPS.Module.dll-Help.xml.
/// </summary>
[Cmdlet(VerbsCommon.Get, "Image", DefaultParameterSetName = ReferenceSet)]
[OutputType(typeof(Image))]
public sealed class GetImageCommand : EngineCmdlet
{
    private const string ReferenceSet = "Reference";
    private const string IdSet = "Id";

    private readonly HashSet<string> _written = new(StringComparer.Ordinal);
    private IReadOnlyList<Image>? _filtered;
    private IReadOnlyList<Image>? _all;

    /// <summary>Image references ("busybox", "busybox:1.36", "my*"); wildcards match tagged names and repositories.</summary>
    [Parameter(ParameterSetName = ReferenceSet, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("Image")]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ImageReferenceCompleter))]
    public string[]? Reference { get; set; }

    /// <summary>Image IDs or unique prefixes, with or without "sha256:".</summary>
    [Parameter(ParameterSetName = IdSet, Mandatory = true, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ImageIdCompleter))]
    public string[]? Id { get; set; }

    /// <summary>Also lists intermediate images (docker images -a).</summary>
    [Parameter]
    public SwitchParameter All { get; set; }

    /// <summary>Only untagged images (-Dangling), or only tagged ones (-Dangling:$false).</summary>
    [Parameter]
    public SwitchParameter Dangling { get; set; }

    /// <summary>Only images with these labels: "key" or "key=value"; all must match.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? Label { get; set; }

    /// <summary>Only images created after this image (reference or ID).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ImageReferenceCompleter))]
    public string? Since { get; set; }

    /// <summary>Only images created before this image (reference or ID).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ImageReferenceCompleter))]
    public string? Before { get; set; }

    protected override void ProcessRecord()
    {
        var images = Filtered();
        if (ParameterSetName == IdSet)
        {
            foreach (var id in Id!) WriteId(images, id);
        }
        else if (Reference is null)
        {
            foreach (var image in images) WriteRows(image, null);
        }
        else
        {
            foreach (var reference in Reference) WriteReference(images, reference);
        }
    }

    private void WriteReference(IReadOnlyList<Image> images, string reference)
    {
        var pattern = ImageMatcher.Pattern(reference);
        if (WriteMatching(images, image => ImageMatcher.MatchesReference(image, pattern), pattern) > 0) return;
        if (ImageMatcher.HasWildcards(reference)) return;

        // Not a familiar name: let the engine resolve it (fully-qualified names, digests,
        // IDs). A malformed reference is reported here as InvalidArgument.
        if (!TryEngine(() => ImageStore.TryGet(reference, out var found) ? found : null, reference, out var image)) return;
        if (image is not null)
        {
            // Found, but perhaps left out by -Dangling/-Label/-Since/-Before: that is no error.
            if (images.Any(i => i.Id == image.Id)) WriteRows(image, null);
            return;
        }

        if (!ExistsUnfiltered(image => ImageMatcher.MatchesReference(image, pattern))) ReportNotFound(reference);
    }

    private void WriteId(IReadOnlyList<Image> images, string id)
    {
        bool Matches(Image image) => ImageMatcher.MatchesId(image, id);
        if (WriteMatching(images, Matches) > 0 || ImageMatcher.HasWildcards(id)) return;
        if (!ExistsUnfiltered(Matches)) ReportNotFound(id);
    }

    private int WriteMatching(IReadOnlyList<Image> images, Func<Image, bool> matches, WildcardPattern? pattern = null)
    {
        var count = 0;
        foreach (var image in images.Where(matches))
        {
            WriteRows(image, pattern);
            count++;
        }
        return count;
    }

    private void ReportNotFound(string text) =>
        WriteEngineError(new NotFoundException("ImageNotFound", $"No such image: {text}", text), text);

    private bool ExistsUnfiltered(Func<Image, bool> matches)
    {
        if (!HasFilters) return false;
        _all ??= ImageStore.List();
        return _all.Any(matches);
    }

    private bool HasFilters => MyInvocation.BoundParameters.ContainsKey(nameof(Dangling)) || Label is not null || Since is not null || Before is not null;

    private IReadOnlyList<Image> Filtered()
    {
        if (_filtered is not null) return _filtered;
        var filter = new ImageFilter
        {
            Dangling = MyInvocation.BoundParameters.ContainsKey(nameof(Dangling)) ? Dangling.IsPresent : null,
            Labels = Label ?? Array.Empty<string>(),
            Since = Since,
            Before = Before,
        };

        try
        {
            _filtered = ImageStore.List(filter);
        }
        catch (Exception e) when (ErrorMapping.IsReportable(e))
        {
            // A bad filter (unknown -Since image, malformed -Label) fails the whole command.
            ThrowEngineError(e, Since ?? Before ?? (object?)Label);
        }
        return _filtered;
    }

    /// <summary>
    /// One object per name, as `docker images` prints one row per repository:tag (only the
    /// names <paramref name="pattern"/> matches, when given); a dangling image is one row.
    /// </summary>
    private void WriteRows(Image image, WildcardPattern? pattern)
    {
        var names = pattern is null ? image.RepoTags : ImageMatcher.MatchingTags(image, pattern).ToList();
        if (names.Count == 0)
        {
            if (_written.Add(image.Id)) WriteObject(image);
            return;
        }
        foreach (var name in names)
            if (_written.Add(image.Id + " " + name)) WriteObject(image with { Name = name });
    }
}
