using ContainerPS.Engine.Images;

namespace ContainerPS.Engine.Containers.Spec;

/// <summary>Everything <see cref="ContainerSpecBuilder.Build"/> needs to describe one container.</summary>
public sealed class ContainerSpecInput
{
    /// <summary>The container's 64-hex ID; its first 12 characters are the default host name.</summary>
    public required string ContainerId { get; init; }

    /// <summary>The image ID ("sha256:…"), recorded as the io.containerps.image annotation.</summary>
    public required string ImageId { get; init; }

    /// <summary>The image's runtime config; null for an image without one.</summary>
    public ContainerConfig? ImageConfig { get; init; }

    public required ContainerCreateOptions Options { get; init; }

    /// <summary>The container's root filesystem, for /etc/passwd and /etc/group.</summary>
    public required IRootfsReader Rootfs { get; init; }

    /// <summary>Host path of the container's /etc/hosts file, bind-mounted when set.</summary>
    public string? HostsPath { get; init; }

    /// <summary>Host path of the container's /etc/hostname file, bind-mounted when set.</summary>
    public string? HostnamePath { get; init; }

    /// <summary>Host path of the container's /etc/resolv.conf file, bind-mounted when set.</summary>
    public string? ResolvConfPath { get; init; }

    /// <summary>Volumes, binds and tmpfs mounts (after Docker's own); one at the same destination replaces Docker's.</summary>
    public IReadOnlyList<Runtime.Spec.SpecMount> UserMounts { get; init; } = Array.Empty<Runtime.Spec.SpecMount>();
}
