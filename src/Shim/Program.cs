using ContainerPS.Shim.Init;
using ContainerPS.Shim.Monitor;

namespace ContainerPS.Shim;

/// <summary>
/// containerps-shim: one NativeAOT binary, two roles.
///   monitor &lt;monitor.json&gt;       look after one container for its whole life (started detached by the engine)
///   init &lt;bundle&gt; tty|notty [tasks...]   PID 1 inside the container until it execs the entrypoint (started by
///                                 the monitor); joins the v1 cgroups through the given tasks files first
///   exec                          a docker exec process inside a running container (started by the engine)
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        if (args.Length >= 2 && args[0] == "monitor") return MonitorMain.Run(args[1]);
        if (args.Length >= 3 && args[0] == "init") return InitMain.Run(args[1], args[2] == "tty", args[3..]);
        if (args.Length >= 1 && args[0] == "exec") return ExecMain.Run();
        Console.Error.WriteLine("usage: containerps-shim monitor <monitor.json> | init <bundle> tty|notty");
        return 2;
    }
}
