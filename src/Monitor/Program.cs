using ContainerPS.Runtime.Monitor;

namespace ContainerPS.Monitor;

/// <summary>
/// containerps-monitor monitor /// containerps-monitor monitor &lt;monitor.json&gt;: looks afterlt;monitor.json/// containerps-monitor monitor &lt;monitor.json&gt;: looks aftergt; [early [init]] (started before its container exists: monitor.json is read once stdin says "start"; with init, the container's init is started meanwhile): looks after one container for its whole life
/// (started detached by the engine). It starts the container's init from containerps-shim,
/// which sits beside it.
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        if (args.Length >= 2 && args[0] == "monitor")
        {
            var early = args.Length > 2 && args[2] == MonitorProtocol.EarlyArgument;
            return MonitorMain.Run(args[1], early, prelaunchInit: early && args.Length > 3 && args[3] == MonitorProtocol.PrelaunchArgument);
        }
        Console.Error.WriteLine("usage: containerps-monitor monitor <monitor.json> [early [init]]");
        return 2;
    }
}
