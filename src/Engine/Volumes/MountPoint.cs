namespace ContainerPS.Engine.Volumes;

/// <summary>
/// One mount of a container, as docker inspect shows it under "Mounts": recorded at create time
/// in the container record (the OCI spec carries the same mounts for the runtimes).
/// </summary>
public sealed class MountPoint
{
    public const string VolumeType = "volume", BindType = "bind", TmpfsType = "tmpfs";

    /// <summary>"volume", "bind" or "tmpfs".</summary>
    public string Type { get; set; } = VolumeType;

    /// <summary>The volume's name (volumes only).</summary>
    public string? Name { get; set; }

    /// <summary>The host path mounted (a volume's _data, or the bind source); empty for tmpfs.</summary>
    public string Source { get; set; } = "";

    /// <summary>The absolute path inside the container.</summary>
    public string Destination { get; set; } = "";

    /// <summary>"local" for volumes, else empty.</summary>
    public string Driver { get; set; } = "";

    /// <summary>The mode as given ("ro", "z", "nocopy", ...), as docker shows it.</summary>
    public string Mode { get; set; } = "";

    public bool RW { get; set; } = true;

    /// <summary>Bind propagation ("rprivate" unless given).</summary>
    public string Propagation { get; set; } = "";

    /// <summary>An anonymous volume created for this container (image VOLUME, -Volume /path).</summary>
    public bool Anonymous { get; set; }

    /// <summary>Extra mount options for tmpfs ("size=64m", "mode=1777").</summary>
    public List<string> Options { get; set; } = new();

    public override string ToString() =>
        $"{(Type == VolumeType ? Name : Type == TmpfsType ? "tmpfs" : Source)}:{Destination}{(RW ? "" : ":ro")}";
}
