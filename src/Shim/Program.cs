using ContainerPS.Shim.Init;
using ContainerPS.Shim.Network;

namespace ContainerPS.Shim;

/// <summary>
/// containerps-shim: the short-lived roles, one NativeAOT binary (the long-lived monitor is
/// containerps-monitor, kept small on its own).
///   init &lt;bundle&gt; tty|notty [tasks...]   PID 1 inside the container until it execs the entrypoint (started by
///                                 the monitor); joins the v1 cgroups through the given tasks files first
///   init &lt;bundle&gt; notty -          the same, started ahead by an early monitor: network and tasks files come on the go pipe
///   exec                          a docker exec process inside a running container (started by the engine)
///   netdown &lt;network.json&gt; &lt;id&gt; &lt;containers dir&gt; [store lock]   a stopped container's network teardown (run by its monitor)
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        if (args.Length == 4 && args[0] == "init" && args[3] == ContainerPS.Runtime.Init.InitSetup.OnGoPipe) return InitMain.RunPrelaunched(args[1]);
        if (args.Length >= 3 && args[0] == "init") return InitMain.Run(args[1], args[2] == "tty", args[3..]);
        if (args.Length >= 1 && args[0] == "exec") return ExecMain.Run();
        if (args.Length >= 4 && args[0] == "netdown") return NetworkTeardown.Run(args[1], args[2], args[3], args.Length > 4 ? args[4] : null);
        Console.Error.WriteLine("usage: containerps-shim init <bundle> tty|notty [tasks...] | exec | netdown <network.json> <id> <containers dir> [store lock]");
        return 2;
    }
}
