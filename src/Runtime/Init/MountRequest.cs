namespace ContainerPS.Runtime.Init;

/// <summary>One OCI mount to make inside the rootfs (config.json "mounts" entry).</summary>
/// <param name="Destination">Path inside the container ("/proc").</param>
/// <param name="Type">Filesystem type ("proc", "tmpfs", "bind", "cgroup", ...); a mount with "bind"/"rbind" in its options is a bind mount whatever its type.</param>
/// <param name="Source">Device, filesystem name or, for bind mounts, the host path.</param>
/// <param name="Options">OCI options ("nosuid", "ro", "mode=755", ...), see <see cref="MountOptions"/>.</param>
public sealed record MountRequest(string Destination, string? Type, string? Source, IReadOnlyList<string> Options);
