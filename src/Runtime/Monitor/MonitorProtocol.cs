namespace ContainerPS.Runtime.Monitor;

/// <summary>The words the engine and a monitor it starts early agree on (command line and stdin).</summary>
public static class MonitorProtocol
{
    /// <summary>The monitor's last argument when it is started before its container exists.</summary>
    public const string EarlyArgument = "early";

    /// <summary>The stdin line that tells an early monitor its monitor.json is written.</summary>
    public const string StartLine = "start";
}
