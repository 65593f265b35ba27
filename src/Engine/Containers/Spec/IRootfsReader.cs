namespace ContainerPS.Engine.Containers.Spec;

/// <summary>
/// Reads small files of a container's root filesystem (etc/passwd, etc/group) for the spec
/// builder. Paths are absolute inside the container ("/etc/passwd"); symlinks must resolve
/// inside the rootfs, never on the host. Tests use an in-memory implementation.
/// </summary>
public interface IRootfsReader
{
    /// <summary>The file's text, or null when it does not exist or is not a regular file.</summary>
    string? ReadFile(string pathInRootfs);
}
