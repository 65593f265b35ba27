using ContainerPS.Runtime.Monitor;

namespace ContainerPS.Engine.Containers;

/// <summary>
/// A container as users see it (docker ps / docker inspect): identity, image, command,
/// state. An immutable snapshot; get a fresh one to see changes.
/// </summary>
public sealed record Container
{
    public required string Id { get; init; }
    public string ShortId => Id.Length > 12 ? Id[..12] : Id;
    public required string Name { get; init; }
    public required string Image { get; init; }
    public required string ImageId { get; init; }
    /// <summary>The command as docker ps shows it: entrypoint and arguments joined, quoted where needed.</summary>
    public required string Command { get; init; }
    public required string Path { get; init; }
    public required IReadOnlyList<string> Args { get; init; }
    public DateTimeOffset Created { get; init; }
    public ContainerStatus State { get; init; }
    /// <summary>docker ps STATUS: "Up 3 minutes", "Exited (0) 2 seconds ago", "Created", "Up 1 second (Paused)".</summary>
    public required string Status { get; init; }
    public bool Running => State is ContainerStatus.Running or ContainerStatus.Paused or ContainerStatus.Restarting;
    public int ExitCode { get; init; }
    /// <summary>Host PID of the container's PID 1 while it runs.</summary>
    public int Pid { get; init; }
    public DateTimeOffset? StartedAt { get; init; }
    public DateTimeOffset? FinishedAt { get; init; }
    public int RestartCount { get; init; }
    public bool OomKilled { get; init; }
    public string? Error { get; init; }
    public string Runtime { get; init; } = "builtin";
    public string RestartPolicy { get; init; } = "no";
    public bool AutoRemove { get; init; }
    public bool Tty { get; init; }
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();
    public required string LogPath { get; init; }
    public required ContainerCreateOptions Config { get; init; }
    /// <summary>Volumes, binds and tmpfs mounts (docker inspect "Mounts").</summary>
    public IReadOnlyList<Volumes.MountPoint> Mounts { get; init; } = Array.Empty<Volumes.MountPoint>();
    /// <summary>The bridge networks it is connected to (docker inspect NetworkSettings.Networks keys).</summary>
    public IReadOnlyList<string> Networks { get; init; } = Array.Empty<string>();
    /// <summary>Published ports while it runs (docker ps PORTS, docker port).</summary>
    public IReadOnlyList<ContainerPS.Runtime.Networking.PortBinding> Ports { get; init; } = Array.Empty<ContainerPS.Runtime.Networking.PortBinding>();
    /// <summary>Its address on its first network while it runs.</summary>
    public string? IPAddress { get; init; }
    /// <summary>Per network: address, gateway, MAC, aliases, while it runs.</summary>
    public IReadOnlyList<ContainerPS.Runtime.Networking.CniAttachment> NetworkAttachments { get; init; } = Array.Empty<ContainerPS.Runtime.Networking.CniAttachment>();
    /// <summary>docker ps PORTS: "0.0.0.0:8080->80/tcp, 127.0.0.1:5001->5000/tcp".</summary>
    public string PortsText => string.Join(", ", Ports.Select(p => p.ToString()));

    public override string ToString() => Name;
}
