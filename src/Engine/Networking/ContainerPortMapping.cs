namespace ContainerPS.Engine.Networking;

/// <summary>One published port of a container as docker port shows it: "80/tcp -> 0.0.0.0:8080".</summary>
public sealed record ContainerPortMapping(string Container, int ContainerPort, string Protocol, string HostIp, int HostPort)
{
    public override string ToString() => $"{ContainerPort}/{Protocol} -> {HostIp}:{HostPort}";
}
