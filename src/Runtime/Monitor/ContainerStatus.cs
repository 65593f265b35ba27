namespace ContainerPS.Runtime.Monitor;

/// <summary>Docker's container states.</summary>
public enum ContainerStatus
{
    Created,
    Running,
    Paused,
    Restarting,
    Removing,
    Exited,
    Dead,
}
