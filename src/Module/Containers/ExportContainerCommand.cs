using System.Management.Automation;
using ContainerPS.Engine.Containers;
using ContainerPS.Module.Infrastructure;

namespace ContainerPS.Module.Containers;

/// <summary>
/// Writes a container's whole file system (its image's layers with its changes applied) to a tar
/// file (docker export). Works on stopped and running containers; Import-Image -FileSystemPath
/// turns the file back into an image. The file is written beside -Path and renamed into place,
/// so a failed or cancelled export leaves no partial file.
/// </summary>
[Cmdlet(VerbsData.Export, "Container", DefaultParameterSetName = NameSet,
    SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(FileInfo))]
public sealed class ExportContainerCommand : ContainerTargetCmdlet
{
    private string? _exported;

    /// <summary>The tar file to write.</summary>
    [Parameter(Mandatory = true, Position = 1)]
    [Alias("OutFile", "Output")]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = "";

    /// <summary>Overwrites an existing file.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>Writes the tar file's FileInfo.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        foreach (var (container, target) in Targets())
        {
            // One file holds one container's file system.
            if (_exported is not null)
            {
                WriteError(NewError(
                    new ArgumentException($"Export-Container writes one container per file: {_exported} is already exported to '{Path}', so {container.Name} is not."),
                    "TooManyContainers", ErrorCategory.InvalidArgument, target));
                continue;
            }

            var path = ProviderPaths.ResolveNewFile(this, Path, ThrowTerminatingError);
            if (path is null) return;
            if (Directory.Exists(path))
            {
                ThrowTerminatingError(NewError(new IOException($"'{path}' is a directory; give a file name for the tar file."),
                    "ExportPathIsDirectory", ErrorCategory.InvalidArgument, Path));
            }
            if (File.Exists(path) && !Force)
            {
                ThrowTerminatingError(NewError(new IOException($"The file '{path}' already exists. Use -Force to overwrite it."),
                    "ExportFileExists", ErrorCategory.ResourceExists, path));
            }
            if (!ShouldProcess(path, $"Export the file system of container {Describe(container)}")) continue;

            _exported = container.Name;
            if (TryRun($"Exporting {container.Name} to {path}", async token =>
                {
                    await Containers.ExportAsync(container.Id, path, token).ConfigureAwait(false);
                    return true;
                }, target, out _) && PassThru)
            {
                WriteObject(new FileInfo(path));
            }
        }
    }
}
