using System.Management.Automation;
using ContainerPS.Engine.Containers.Commit;
using ContainerPS.Engine.Images;

namespace ContainerPS.Module.Containers;

/// <summary>
/// Creates an image from a container's changes (docker commit): its writable layer becomes a new
/// layer on top of its image, with the container's configuration and -Change instructions. A
/// running container is paused while its files are read (-NoPause reads them live).
/// </summary>
[Cmdlet(VerbsData.ConvertTo, "Image", DefaultParameterSetName = NameSet,
    SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(Image))]
public sealed class ConvertToImageCommand : ContainerTargetCmdlet
{
    private string? _named;

    /// <summary>The new image's name ("repo:tag"; "repo" means ":latest"). Without it the image has no name, as with docker commit.</summary>
    [Parameter(Position = 1)]
    [Alias("Tag", "Repository")]
    [ValidateNotNullOrEmpty]
    public string? Reference { get; set; }

    /// <summary>The image's author, e.g. "Jane Doe &lt;jane@example.com&gt;"; the base image's author when omitted.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Author { get; set; }

    /// <summary>The commit message, shown by Get-ImageHistory.</summary>
    [Parameter]
    [Alias("Comment")]
    public string? Message { get; set; }

    /// <summary>Dockerfile instructions applied to the image's configuration: CMD, ENTRYPOINT, ENV, EXPOSE, LABEL, USER, VOLUME, WORKDIR, ...</summary>
    [Parameter]
    [ValidateNotNull]
    public string[] Change { get; set; } = Array.Empty<string>();

    /// <summary>Does not pause a running container while its files are read.</summary>
    [Parameter]
    public SwitchParameter NoPause { get; set; }

    protected override void ProcessRecord()
    {
        foreach (var (container, target) in Targets())
        {
            // A name points at one image: a second container would only take it away from the first.
            if (Reference is not null && _named is not null)
            {
                WriteError(NewError(
                    new ArgumentException($"ConvertTo-Image names one image '{Reference}', already made from {_named}; {container.Name} is not committed under the same name."),
                    "TooManyContainers", ErrorCategory.InvalidArgument, target));
                continue;
            }

            var what = Reference is null ? "Create an image from container" : $"Create image '{Reference}' from container";
            if (!ShouldProcess(Describe(container), what)) continue;
            if (Reference is not null) _named = container.Name;

            var options = new CommitOptions
            {
                Reference = Reference,
                Author = Author,
                Message = Message,
                Changes = Change,
                Pause = !NoPause,
            };
            if (TryRun($"Committing {container.Name}", token => Containers.CommitAsync(container.Id, options, token), target, out var image))
                WriteObject(image);
        }
    }
}
