using System.Management.Automation;
using ContainerPS.Engine.Images;
using ContainerPS.Module.Completion;
using ContainerPS.Module.Infrastructure;

namespace ContainerPS.Module.Images;

/// <summary>
/// Loads images from docker-archive / OCI-archive tarballs (docker load, -Path), or creates
/// an image from a root filesystem tarball (docker import, -FileSystemPath).
/// </summary>
[Cmdlet(VerbsData.Import, "Image", DefaultParameterSetName = PathSet,
    SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(Image))]
public sealed class ImportImageCommand : EngineCmdlet
{
    private const string PathSet = "Path";
    private const string LiteralPathSet = "LiteralPath";
    private const string FileSystemSet = "FileSystem";

    /// <summary>Image archives written by Save-Image, docker save or podman save; wildcards allowed.</summary>
    [Parameter(ParameterSetName = PathSet, Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[] Path { get; set; } = Array.Empty<string>();

    /// <summary>Image archives, taken literally (no wildcards); binds from Get-ChildItem output.</summary>
    [Parameter(ParameterSetName = LiteralPathSet, Mandatory = true, ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath", "LP")]
    [ValidateNotNullOrEmpty]
    public string[] LiteralPath { get; set; } = Array.Empty<string>();

    /// <summary>A root filesystem tarball (optionally gzip/bzip2/xz/zstd compressed) to turn into a one-layer image; "-" reads standard input.</summary>
    [Parameter(ParameterSetName = FileSystemSet, Mandatory = true)]
    [ValidateNotNullOrEmpty]
    public string FileSystemPath { get; set; } = "";

    /// <summary>The name to give the imported image ("myrootfs:1.0").</summary>
    [Parameter(ParameterSetName = FileSystemSet)]
    [ValidateNotNullOrEmpty]
    public string? Reference { get; set; }

    /// <summary>Dockerfile instructions applied to the image config (docker import --change), e.g. 'CMD ["/bin/sh"]', 'ENV A=1'.</summary>
    [Parameter(ParameterSetName = FileSystemSet)]
    [ValidateNotNull]
    public string[] Change { get; set; } = Array.Empty<string>();

    /// <summary>The comment of the image's single history entry (docker import --message).</summary>
    [Parameter(ParameterSetName = FileSystemSet)]
    public string? Message { get; set; }

    protected override void ProcessRecord()
    {
        if (ParameterSetName == FileSystemSet)
        {
            ImportFileSystem();
            return;
        }

        var literal = ParameterSetName == LiteralPathSet;
        foreach (var path in literal ? LiteralPath : Path)
        {
            foreach (var file in ProviderPaths.ResolveExistingFiles(this, path, literal))
            {
                if (!ShouldProcess(file, "Load images")) continue;
                try
                {
                    var images = RunEngine($"Loading images from {file}",
                        (progress, token) => ImageStore.LoadAsync(file, progress, token));
                    WriteObject(images, enumerateCollection: true);
                }
                catch (Exception e) when (ErrorMapping.IsReportable(e))
                {
                    WriteEngineError(e, file);
                }
            }
        }
    }

    private void ImportFileSystem()
    {
        string file;
        if (FileSystemPath == "-")
        {
            file = "-";
        }
        else
        {
            var resolved = ProviderPaths.ResolveExistingFiles(this, FileSystemPath, literal: true);
            if (resolved.Count == 0) return;
            file = resolved[0];
        }

        var action = Reference is null ? "Import root filesystem as an image" : $"Import root filesystem as '{Reference}'";
        if (!ShouldProcess(file, action)) return;
        try
        {
            var image = RunEngine($"Importing {file}",
                (progress, token) => ImageStore.ImportAsync(file, Reference, Change, Message, progress, token));
            WriteObject(image);
        }
        catch (Exception e) when (ErrorMapping.IsReportable(e))
        {
            WriteEngineError(e, FileSystemPath);
        }
    }
}
