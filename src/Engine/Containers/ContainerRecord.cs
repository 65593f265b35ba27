namespace ContainerPS.Engine.Containers;

/// <summary>
/// containers/&lt;id&gt;/container.json: what a container was created as. Written once by
/// create (and by rename); the monitor owns state.json beside it. "Id" and "ImageId" are
/// also read by the image side to know which images are in use.
/// </summary>
public sealed class ContainerRecord
{
    public string Id { get; set; } = "";
    public string Name { get; set; } = "";
    public DateTimeOffset Created { get; set; }
    /// <summary>The image as the user named it ("busybox").</summary>
    public string Image { get; set; } = "";
    /// <summary>The image ID (config digest) the container was created from.</summary>
    public string ImageId { get; set; } = "";
    /// <summary>The process: path and arguments after ENTRYPOINT/CMD resolution.</summary>
    public string Path { get; set; } = "";
    public List<string> Args { get; set; } = new();
    public string Runtime { get; set; } = "builtin";
    public ContainerCreateOptions Options { get; set; } = new();
    /// <summary>Volumes, binds and tmpfs mounts as resolved at create (docker inspect "Mounts"); volume users are found from here.</summary>
    public List<Volumes.MountPoint> Mounts { get; set; } = new();
    /// <summary>The bridge networks the container is connected to, in interface order (eth0, eth1, …); empty for host, none and container:&lt;x&gt;.</summary>
    public List<string> Networks { get; set; } = new();
}
