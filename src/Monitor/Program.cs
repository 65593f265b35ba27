using ContainerPS.Runtime.Monitor;

namespace ContainerPS.Monitor;

/// <summary>
/// containerps-monitor monitor &lt;monitor.json&gt; [early [init own|host]]: looks after one
/// container for its whole life (started detached by the engine). It starts the container's
/// init from containerps-shim, which sits beside it. With "early" it was started before its
/// container existed and reads monitor.json once stdin says "start"; with "init" it starts the
/// container's init meanwhile too, in that network (<see cref="InitPrelaunch"/>).
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        if (args.Length >= 2 && args[0] == "monitor")
        {
            var early = args.Length > 2 && args[2] == MonitorProtocol.EarlyArgument;
            var prelaunchNetwork = early && args.Length > 4 && args[3] == MonitorProtocol.PrelaunchArgument ? args[4] : null;
            return MonitorMain.Run(args[1], early, prelaunchNetwork);
        }
        Console.Error.WriteLine("usage: containerps-monitor monitor <monitor.json> [early [init own|host]]");
        return 2;
    }
}
