namespace ContainerPS.Engine.Networking;

public enum NetworkModeKind
{
    /// <summary>Its own network namespace on a CNI bridge network (default or user-defined).</summary>
    Bridge,
    /// <summary>The host's network namespace.</summary>
    Host,
    /// <summary>Its own network namespace with only loopback.</summary>
    None,
    /// <summary>Another container's network namespace.</summary>
    Container,
}
