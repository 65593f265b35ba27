namespace ContainerPS.Runtime.Init;

/// <summary>What the container init is asked to do: set up the rootfs, then become the process.</summary>
public sealed record InitRequest(RootfsRequest Rootfs, ProcessRequest Process);
