namespace ContainerPS.Runtime.Monitor;

/// <summary>The words the engine and a monitor it starts early agree on (command line and stdin).</summary>
public static class MonitorProtocol
{
    /// <summary>The monitor's last argument when it is started before its container exists.</summary>
    public const string EarlyArgument = "early";

    /// <summary>
    /// After <see cref="EarlyArgument"/>: start the container's init ahead too (a built-in
    /// runtime container without a terminal or open stdin), followed by the network it enters
    /// (<see cref="Init.InitNetwork.Own"/> or <see cref="Init.InitNetwork.Host"/>).
    /// </summary>
    public const string PrelaunchArgument = "init";

    /// <summary>The stdin line that tells an early monitor its monitor.json is written.</summary>
    public const string StartLine = "start";
}
