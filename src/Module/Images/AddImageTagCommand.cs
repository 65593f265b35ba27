using System.Management.Automation;
using ContainerPS.Engine.Images;
using ContainerPS.Module.Completion;
using ContainerPS.Module.Infrastructure;

namespace ContainerPS.Module.Images;

/// <summary>Gives an image more names (docker tag SOURCE TARGET).</summary>
[Cmdlet(VerbsCommon.Add, "ImageTag", DefaultParameterSetName = SourceSet,
    SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(Image))]
public sealed class AddImageTagCommand : EngineCmdlet
{
    private const string SourceSet = "Source";
    private const string InputObjectSet = "InputObject";

    /// <summary>The image to tag: a name or an ID.</summary>
    [Parameter(ParameterSetName = SourceSet, Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("Reference", "Id")]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ImageReferenceCompleter))]
    public string Source { get; set; } = "";

    /// <summary>The image to tag, from Get-Image.</summary>
    [Parameter(ParameterSetName = InputObjectSet, Mandatory = true, ValueFromPipeline = true)]
    [ValidateNotNull]
    public Image? InputObject { get; set; }

    /// <summary>The new names ("myapp:1.0", "localhost:5000/myapp").</summary>
    [Parameter(Mandatory = true, Position = 1)]
    [ValidateNotNullOrEmpty]
    public string[] Target { get; set; } = Array.Empty<string>();

    /// <summary>Writes the tagged image.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        var source = InputObject?.Id ?? Source;
        object target = (object?)InputObject ?? Source;
        var description = InputObject?.ToString() ?? Source;
        Image? tagged = null;
        foreach (var name in Target)
        {
            if (!ShouldProcess(description, $"Add tag '{name}'")) continue;
            if (TryEngine(() => ImageStore.Tag(source, name), target, out var image)) tagged = image;
        }

        if (PassThru && tagged is not null) WriteObject(tagged);
    }
}
