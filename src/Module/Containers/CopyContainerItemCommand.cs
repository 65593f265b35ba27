using System.Management.Automation;
using ContainerPS.Engine.Containers;
using ContainerPS.Engine.Containers.Copy;
using ContainerPS.Module.Completion;

namespace ContainerPS.Module.Containers;

/// <summary>
/// Copies files and directories between a container and the host (docker cp), for running and
/// stopped containers, keeping modes, owners and symlinks, with docker cp's rules for "dir",
/// "dir/." and trailing slashes. Either docker's form —
/// <c>Copy-ContainerItem web:/etc/nginx ./nginx</c>, <c>Copy-ContainerItem ./site web:/srv/</c> —
/// or a container given by -Name/-InputObject with -Path in it (-ToContainer: -Path on the host,
/// -Destination in the container). Paths in the container are resolved inside its root: its
/// symlinks can never make the copy read or write host files.
/// </summary>
[Cmdlet(VerbsCommon.Copy, "ContainerItem", DefaultParameterSetName = DockerSet,
    SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(FileSystemInfo), typeof(Container))]
public sealed class CopyContainerItemCommand : ContainerCmdlet
{
    private const string DockerSet = "Docker";
    private const string NameSet = "Name";
    private const string InputObjectSet = "InputObject";

    /// <summary>The source: "container:/path" or a host path (docker form); with -Name/-InputObject a path in the container (on the host with -ToContainer).</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = DockerSet)]
    [Parameter(Mandatory = true, Position = 1, ParameterSetName = NameSet)]
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = InputObjectSet)]
    [Alias("Source")]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = "";

    /// <summary>The destination: "container:/path" or a host path (docker form); with -Name/-InputObject a host path (in the container with -ToContainer).</summary>
    [Parameter(Mandatory = true, Position = 1, ParameterSetName = DockerSet)]
    [Parameter(Mandatory = true, Position = 2, ParameterSetName = NameSet)]
    [Parameter(Mandatory = true, Position = 1, ParameterSetName = InputObjectSet)]
    [ValidateNotNullOrEmpty]
    public string Destination { get; set; } = "";

    /// <summary>The container's name or ID.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = NameSet, ValueFromPipelineByPropertyName = true)]
    [Alias("Container")]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ContainerNameCompleter))]
    public string Name { get; set; } = "";

    /// <summary>A container from Get-Container.</summary>
    [Parameter(Mandatory = true, ParameterSetName = InputObjectSet, ValueFromPipeline = true)]
    [ValidateNotNull]
    public Container? InputObject { get; set; }

    /// <summary>With -Name/-InputObject: copy from the host (-Path) into the container (-Destination).</summary>
    [Parameter(ParameterSetName = NameSet)]
    [Parameter(ParameterSetName = InputObjectSet)]
    public SwitchParameter ToContainer { get; set; }

    /// <summary>Copies what a symlink named as the source points to, not the link (docker cp -L).</summary>
    [Parameter]
    [Alias("L")]
    public SwitchParameter FollowLink { get; set; }

    /// <summary>Keeps the host's owners when copying into a container (docker cp -a); otherwise files belong to the container's root.</summary>
    [Parameter]
    [Alias("a")]
    public SwitchParameter Archive { get; set; }

    /// <summary>Writes the copied item: the host FileSystemInfo, or the Container copied into.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        string container, inContainer, onHost;
        bool toContainer;
        if (ParameterSetName == DockerSet)
        {
            var src = SplitContainerPath(Path);
            var dst = SplitContainerPath(Destination);
            if (src is not null && dst is not null)
                ThrowTerminatingError(NewError(new ArgumentException("copying between containers is not supported"), "CopyBetweenContainers", ErrorCategory.InvalidArgument, Destination));
            if (src is null && dst is null)
                ThrowTerminatingError(NewError(new ArgumentException("must specify at least one container source: use \"container:path\" for -Path or -Destination, or -Name"), "NoContainerInCopy", ErrorCategory.InvalidArgument, Path));
            toContainer = dst is not null;
            (container, inContainer) = toContainer ? dst!.Value : src!.Value;
            onHost = toContainer ? Path : Destination;
        }
        else
        {
            container = InputObject?.Id ?? Name;
            toContainer = ToContainer;
            inContainer = toContainer ? Destination : Path;
            onHost = toContainer ? Path : Destination;
        }

        var hostPath = HostPath(onHost);
        var target = (object?)InputObject ?? container;
        var options = new CopyOptions { FollowLink = FollowLink, Archive = Archive };
        var action = toContainer ? $"Copy {hostPath} into container {container} at {inContainer}" : $"Copy {inContainer} from container {container} to {hostPath}";
        if (!ShouldProcess(toContainer ? $"{container}:{inContainer}" : hostPath, action)) return;
        var ok = TryRun(action, token => toContainer
            ? Containers.CopyToContainerAsync(container, hostPath, inContainer, options, token)
            : Containers.CopyFromContainerAsync(container, inContainer, hostPath, options, token), target, out _);
        if (!ok || !PassThru) return;
        if (toContainer)
        {
            if (TryEngine(() => Containers.Get(container), target, out var c)) WriteObject(c);
            return;
        }
        var written = Directory.Exists(hostPath) && !inContainer.EndsWith("/.", StringComparison.Ordinal)
            ? System.IO.Path.Combine(hostPath, System.IO.Path.GetFileName(inContainer.TrimEnd('/')))
            : hostPath;
        WriteObject(Directory.Exists(written) ? new DirectoryInfo(written) : new FileInfo(written));
    }

    /// <summary>
    /// docker's rule: "name:path" names a container path when the colon comes before any slash;
    /// "./a:b" and "/a:b" are host paths.
    /// </summary>
    internal static (string Container, string Path)? SplitContainerPath(string text)
    {
        var colon = text.IndexOf(':');
        if (colon <= 0) return null;
        var slash = text.IndexOf('/');
        if (slash >= 0 && slash < colon) return null;
        if (colon == 1 && char.IsLetter(text[0]) && text.Length > 2 && text[2] == '\\') return null; // C:\ (not on Linux, but never a container)
        return (text[..colon], text[(colon + 1)..]);
    }

    /// <summary>A host path made absolute against the current PowerShell location, keeping a trailing "/" or "/." (they carry meaning).</summary>
    private string HostPath(string path)
    {
        var contents = path.EndsWith("/.", StringComparison.Ordinal) || path == ".";
        var trailing = !contents && path.Length > 1 && path.EndsWith('/');
        var resolved = SessionState.Path.GetUnresolvedProviderPathFromPSPath(path).TrimEnd('/');
        if (resolved.EndsWith("/.", StringComparison.Ordinal)) resolved = resolved[..^2];
        resolved = resolved.TrimEnd('/');
        if (contents) return resolved + "/.";
        if (resolved.Length == 0) return "/";
        return trailing ? resolved + "/" : resolved;
    }
}
