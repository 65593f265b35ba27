using System.Management.Automation;
using ContainerPS.Engine.Containers;
using ContainerPS.Module.Completion;

namespace ContainerPS.Module.Containers;

/// <summary>Creates a container from an image without starting it (docker create).</summary>
[Cmdlet(VerbsCommon.New, "Container", DefaultParameterSetName = ImageSet,
    SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(Container))]
public sealed class NewContainerCommand : ContainerCreateCmdlet
{
    /// <summary>The image: a name, an ID, or an Image object from Get-Image.</summary>
    [Parameter(ParameterSetName = ImageSet, Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ImageTransformation]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ImageReferenceCompleter))]
    public string Image { get; set; } = "";

    /// <summary>The container's name; a generated "adjective_surname" name when not given.</summary>
    [Parameter(ParameterSetName = ImageSet)]
    [ValidateNotNullOrEmpty]
    public string? Name { get; set; }

    protected override void ProcessRecord()
    {
        var what = Name is null ? $"Create a container from image '{Image}'" : $"Create container '{Name}' from image '{Image}'";
        if (!ShouldProcess(Image, what)) return;
        if (TryEngine(() => Containers.Create(BuildOptions(Image, Name)), Name ?? Image, out var container))
            WriteObject(container);
    }
}
