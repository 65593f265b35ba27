using System.Management.Automation;
using ContainerPS.Engine.Errors;
using ContainerPS.Engine.Images;
using ContainerPS.Module.Completion;
using ContainerPS.Module.Infrastructure;

namespace ContainerPS.Module.Images;

/// <summary>
/// Saves images to one docker-archive tarball (docker save), loadable by Import-Image,
/// docker load and podman load. Everything named or piped in goes into the same archive:
/// images are collected while input arrives and written once at the end.
/// </summary>
[Cmdlet(VerbsData.Save, "Image", DefaultParameterSetName = ReferenceSet,
    SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(FileInfo))]
public sealed class SaveImageCommand : EngineCmdlet
{
    private const string ReferenceSet = "Reference";
    private const string IdSet = "Id";
    private const string InputObjectSet = "InputObject";

    private readonly List<string> _names = new();
    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);

    /// <summary>Image names to save ("busybox:latest"); the names are kept in the archive. Wildcards save every matching name.</summary>
    [Parameter(ParameterSetName = ReferenceSet, Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("Image")]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ImageReferenceCompleter))]
    public string[] Reference { get; set; } = Array.Empty<string>();

    /// <summary>Image IDs or unique prefixes; saved without names, as docker save does for IDs.</summary>
    [Parameter(ParameterSetName = IdSet, Mandatory = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ImageIdCompleter))]
    public string[] Id { get; set; } = Array.Empty<string>();

    /// <summary>Images from Get-Image; each row is saved under the name it shows (an image object without a row name, with all its names).</summary>
    [Parameter(ParameterSetName = InputObjectSet, Mandatory = true, ValueFromPipeline = true)]
    [ValidateNotNull]
    public Image[] InputObject { get; set; } = Array.Empty<Image>();

    /// <summary>The archive to write.</summary>
    [Parameter(ParameterSetName = ReferenceSet, Mandatory = true, Position = 1)]
    [Parameter(ParameterSetName = IdSet, Mandatory = true, Position = 1)]
    [Parameter(ParameterSetName = InputObjectSet, Mandatory = true)]
    [Alias("OutFile")]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = "";

    /// <summary>Overwrites an existing archive.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>Writes the archive's FileInfo.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        switch (ParameterSetName)
        {
            case InputObjectSet:
                foreach (var image in InputObject)
                {
                    // A Get-Image row stands for one name; an image object as a whole keeps all its names.
                    if (image.Name is { } row) Add(row);
                    else if (image.RepoTags.Count == 0) Add(image.Id);
                    else foreach (var name in image.RepoTags) Add(name);
                }
                break;
            case IdSet:
                foreach (var id in Id) AddIfExists(id);
                break;
            default:
                foreach (var reference in Reference)
                {
                    if (ImageMatcher.HasWildcards(reference)) AddMatching(reference);
                    else AddIfExists(reference);
                }
                break;
        }
    }

    protected override void EndProcessing()
    {
        if (_names.Count == 0) return; // nothing valid came in; the errors are already written

        var path = ProviderPaths.ResolveNewFile(this, Path, ThrowTerminatingError);
        if (path is null) return;
        if (Directory.Exists(path))
        {
            ThrowTerminatingError(NewError(new IOException($"'{path}' is a directory; give a file name for the archive."),
                "ArchivePathIsDirectory", ErrorCategory.InvalidArgument, Path));
        }
        if (File.Exists(path) && !Force)
        {
            ThrowTerminatingError(NewError(new IOException($"The file '{path}' already exists. Use -Force to overwrite it."),
                "ArchiveExists", ErrorCategory.ResourceExists, path));
        }

        var what = _names.Count == 1 ? _names[0] : $"{_names.Count} images ({string.Join(", ", _names)})";
        if (!ShouldProcess(path, $"Save {what}")) return;

        try
        {
            RunEngine($"Saving {what} to {path}",
                (progress, token) => ImageStore.SaveAsync(_names, path, progress, token));
        }
        catch (Exception e) when (ErrorMapping.IsReportable(e))
        {
            ThrowEngineError(e, path);
        }

        if (PassThru) WriteObject(new FileInfo(path));
    }

    private void Add(string nameOrId)
    {
        if (_seen.Add(nameOrId)) _names.Add(nameOrId);
    }

    // Fail early, per name, so one bad name does not lose the whole archive's worth of input.
    private void AddIfExists(string nameOrId)
    {
        if (!TryEngine(() => ImageStore.TryGet(nameOrId, out _), nameOrId, out var exists)) return;
        if (exists) Add(nameOrId);
        else WriteEngineError(new NotFoundException("ImageNotFound", $"No such image: {nameOrId}", nameOrId), nameOrId);
    }

    private void AddMatching(string reference)
    {
        var pattern = ImageMatcher.Pattern(reference);
        if (!TryEngine(() => ImageStore.List(), reference, out var images)) return;
        foreach (var name in images.SelectMany(i => ImageMatcher.MatchingTags(i, pattern))) Add(name);
    }
}
