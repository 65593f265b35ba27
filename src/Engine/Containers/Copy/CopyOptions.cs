namespace ContainerPS.Engine.Containers.Copy;

/// <summary>docker cp's flags.</summary>
public sealed class CopyOptions
{
    /// <summary>Follow a symlink named as the source (docker cp -L); otherwise the link itself is copied.</summary>
    public bool FollowLink { get; init; }

    /// <summary>
    /// Keep the source's owners when copying into a container (docker cp -a); otherwise the
    /// files belong to the container's root. Copies out of a container always keep them.
    /// </summary>
    public bool Archive { get; init; }
}
