namespace ContainerPS.Engine.Volumes;

/// <summary>A container and the volumes it mounts (what "volume is in use" is decided from).</summary>
public sealed record VolumeUser(string ContainerId, string ContainerName, IReadOnlyList<string> Volumes);
