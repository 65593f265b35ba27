namespace ContainerPS.Engine.Containers.Commit;

/// <summary>What <c>docker commit</c> takes besides the container (<see cref="ContainerManager.CommitAsync"/>).</summary>
public sealed class CommitOptions
{
    /// <summary>The name for the new image ("repo:tag", "repo" means ":latest"); null leaves it dangling, as docker commit does.</summary>
    public string? Reference { get; set; }

    /// <summary>The image's author ("Jane Doe &lt;jane@example.com&gt;"); the base image's author when null.</summary>
    public string? Author { get; set; }

    /// <summary>The commit message, recorded as the comment of the new history entry.</summary>
    public string? Message { get; set; }

    /// <summary>Dockerfile instructions applied to the new image's config (CMD, ENTRYPOINT, ENV, EXPOSE, LABEL, ...).</summary>
    public string[] Changes { get; set; } = Array.Empty<string>();

    /// <summary>Freeze a running container while its file system is read (docker commit's default); false reads it live.</summary>
    public bool Pause { get; set; } = true;
}
