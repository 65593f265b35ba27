using System.Management.Automation;
using ContainerPS.Engine.Images;
using ContainerPS.Module.Completion;
using ContainerPS.Module.Infrastructure;

namespace ContainerPS.Module.Images;

/// <summary>Shows how an image was built, newest step first (docker history).</summary>
[Cmdlet(VerbsCommon.Get, "ImageHistory", DefaultParameterSetName = ReferenceSet)]
[OutputType(typeof(ImageHistoryItem))]
public sealed class GetImageHistoryCommand : EngineCmdlet
{
    private const string ReferenceSet = "Reference";
    private const string IdSet = "Id";
    private const string InputObjectSet = "InputObject";

    /// <summary>Image names ("busybox:latest").</summary>
    [Parameter(ParameterSetName = ReferenceSet, Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("Image")]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ImageReferenceCompleter))]
    public string[] Reference { get; set; } = Array.Empty<string>();

    /// <summary>Image IDs or unique prefixes.</summary>
    [Parameter(ParameterSetName = IdSet, Mandatory = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ImageIdCompleter))]
    public string[] Id { get; set; } = Array.Empty<string>();

    /// <summary>Images from Get-Image.</summary>
    [Parameter(ParameterSetName = InputObjectSet, Mandatory = true, ValueFromPipeline = true)]
    [ValidateNotNull]
    public Image[] InputObject { get; set; } = Array.Empty<Image>();

    protected override void ProcessRecord()
    {
        var targets = ParameterSetName switch
        {
            InputObjectSet => InputObject.Select(image => (image.Id, (object)image)),
            IdSet => Id.Select(id => (id, (object)id)),
            _ => Reference.Select(reference => (reference, (object)reference)),
        };

        foreach (var (nameOrId, target) in targets)
        {
            if (!TryEngine(() => ImageStore.History(nameOrId), target, out var items)) continue;
            foreach (var item in items) WriteObject(item);
        }
    }
}
