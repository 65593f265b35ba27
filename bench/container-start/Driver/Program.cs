using System.Diagnostics;
using System.Formats.Tar;
using System.Text;
using System.Text.Json;
using ContainerPS.Engine.Containers;
using ContainerPS.Engine.Store;

namespace ContainerPS.Bench.ContainerStart;

/// <summary>
/// Engine-level driver of bench/container-start (no PowerShell):
///   rootfs-tar PATH                          busybox-static rootfs tar (the tests' layout)
///   import ROOT TAR                          import it into store ROOT as busybox:latest
///   start-exit ROOT RUNTIME N WARMUP [NET]   (NET: network mode, default none) per iteration: Run(true) + WaitAsync, then RemoveAsync;
///                                            one TSV line per timed iteration: total run wait remove (ms); run is
///                                            create + start, which overlap (the monitor and init start while the container is created)
///   memory ROOT RUNTIME COUNT                COUNT `sleep 1000` containers; one TSV line per monitor:
///                                            pid rss_kB pss_kB private_kB; then removes them
///   remove-all ROOT                          force-remove every container in store ROOT (clean-up)
///   probe ROOT RUNTIME CMD...                run CMD, print exit code and log (exploration)
///   probe-stop ROOT RUNTIME TIMEOUT CMD...   run CMD, stop it, print the outcome and logs (exploration)
/// Every command removes the containers it created, also when it fails.
/// </summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        if (args.Length == 0) return Usage();
        try
        {
            return args[0] switch
            {
                "rootfs-tar" when args.Length == 2 => WriteRootfsTar(args[1]),
                "import" when args.Length == 3 => await Import(args[1], args[2]),
                "start-exit" when args.Length is 5 or 6 => await StartExit(args[1], args[2], int.Parse(args[3]), int.Parse(args[4]), args.Length == 6 ? args[5] : "none"),
                "memory" when args.Length == 4 => await Memory(args[1], args[2], int.Parse(args[3])),
                "remove-all" when args.Length == 2 => await RemoveAllCommand(args[1]),
                "probe" when args.Length >= 4 => await Probe(args[1], args[2], args[3..]),
                "probe-stop" when args.Length >= 5 => await ProbeStop(args[1], args[2], int.Parse(args[3]), args[4..]),
                _ => Usage(),
            };
        }
        catch (Exception ex)
        {
            Console.Error.WriteLine($"container-start-driver: {ex.GetType().Name}: {ex.Message}");
            return 1;
        }
    }

    private static int Usage()
    {
        Console.Error.WriteLine("usage: container-start-driver rootfs-tar PATH | import ROOT TAR | start-exit ROOT RUNTIME N WARMUP | memory ROOT RUNTIME COUNT | remove-all ROOT | probe[-stop] ROOT RUNTIME ...");
        return 2;
    }

    private static ContainerManager Open(string root) => new(new StoreLayout(root)) { ShimPath = ShimLocator.Find() };

    private static string? RuntimeOption(string runtime) => runtime == "builtin" ? null : runtime;

    /// <summary>The same layout as tests/Unit/Support/BusyboxRootfs.cs: busybox-static and its applets as hard links.</summary>
    private static int WriteRootfsTar(string path)
    {
        const string busybox = "/bin/busybox";
        if (!File.Exists(busybox)) throw new InvalidOperationException("busybox-static is not installed (apt-get install busybox-static)");
        var list = Process.Start(new ProcessStartInfo(busybox, "--list-full") { RedirectStandardOutput = true })!;
        var applets = list.StandardOutput.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(a => a != "bin/busybox").Distinct().Order(StringComparer.Ordinal).ToList();
        list.WaitForExit();
        var dirs = new SortedSet<string>(StringComparer.Ordinal) { "bin", "dev", "etc", "home", "proc", "root", "sbin", "sys", "tmp", "usr", "usr/bin", "usr/sbin", "var" };
        using var file = File.Create(path);
        using var tar = new TarWriter(file, TarEntryFormat.Ustar);
        foreach (var d in dirs)
            tar.WriteEntry(new UstarTarEntry(TarEntryType.Directory, d + "/") { Mode = (UnixFileMode)Convert.ToInt32(d == "tmp" ? "1777" : d == "root" ? "700" : "755", 8) });
        tar.WriteEntry(busybox, "bin/busybox");
        foreach (var (name, text) in new[]
        {
            ("etc/passwd", "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/home:/bin/false\n"),
            ("etc/group", "root:x:0:\nnogroup:x:65534:\n"),
        })
        {
            tar.WriteEntry(new UstarTarEntry(TarEntryType.RegularFile, name)
            {
                DataStream = new MemoryStream(Encoding.UTF8.GetBytes(text)),
                Mode = (UnixFileMode)Convert.ToInt32("644", 8),
            });
        }
        foreach (var a in applets)
            tar.WriteEntry(new UstarTarEntry(TarEntryType.HardLink, a) { LinkName = "bin/busybox", Mode = (UnixFileMode)Convert.ToInt32("755", 8) });
        return 0;
    }

    private static async Task<int> Import(string root, string tar)
    {
        var m = Open(root);
        await m.Images.ImportAsync(tar, "busybox:latest", new[] { "CMD [\"sh\"]" }, null, null, CancellationToken.None);
        return 0;
    }

    private static async Task<int> StartExit(string root, string runtime, int n, int warmup, string network)
    {
        var m = Open(root);
        // --network none by default, like the crun/runc bundles (a new, empty network namespace) and the podman row.
        var options = new ContainerCreateOptions { Image = "busybox", Command = new[] { "true" }, Runtime = RuntimeOption(runtime), Network = network };
        try
        {
            for (var i = 0; i < warmup + n; i++)
            {
                var sw = Stopwatch.StartNew();
                var created = m.Run(options);
                var tStart = sw.Elapsed.TotalMilliseconds;
                var code = await WaitForExit(m, created.Id);
                var tWait = sw.Elapsed.TotalMilliseconds;
                await m.RemoveAsync(created.Id, force: true, CancellationToken.None);
                var tRemove = sw.Elapsed.TotalMilliseconds;
                if (code != 0) throw new InvalidOperationException($"`true` exited with {code} in container {created.Id}");
                if (i >= warmup)
                    Console.WriteLine(FormattableString.Invariant($"{tWait:0.00}\t{tStart:0.00}\t{tWait - tStart:0.00}\t{tRemove - tWait:0.00}"));
            }
            return 0;
        }
        finally
        {
            await RemoveAll(m);
        }
    }

    /// <summary>
    /// WaitAsync; if it fails with a raw IOException or SocketException (the monitor exited
    /// while the request was sent or read: an engine race, MonitorClient maps only connect
    /// failures; reported on stderr and counted in the report), the exit code is read by polling.
    /// </summary>
    private static async Task<int> WaitForExit(ContainerManager m, string id)
    {
        try
        {
            return await m.WaitAsync(id, CancellationToken.None);
        }
        catch (Exception ex) when (ex is IOException or System.Net.Sockets.SocketException)
        {
            Console.Error.WriteLine($"wait-error\t{id}\t{ex.GetType().Name}: {ex.Message}");
            while (true)
            {
                var c = m.Get(id);
                if (!c.Running) return c.ExitCode;
                await Task.Delay(5);
            }
        }
    }

    private static async Task<int> Memory(string root, string runtime, int count)
    {
        var m = Open(root);
        try
        {
            var ids = new List<string>();
            for (var i = 0; i < count; i++)
                ids.Add(m.Run(new ContainerCreateOptions { Image = "busybox", Command = new[] { "sleep", "1000" }, Runtime = RuntimeOption(runtime), Network = "none" }).Id);
            Thread.Sleep(1000); // let every monitor settle (pumps, control thread, first GC)
            foreach (var id in ids)
            {
                var state = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(m.Layout.Containers, id, "state.json")));
                var pid = state.RootElement.GetProperty("monitorPid").GetInt32();
                var smaps = File.ReadAllLines($"/proc/{pid}/smaps_rollup");
                long Field(string name) => long.Parse(smaps.First(l => l.StartsWith(name + ":", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]);
                var priv = Field("Private_Clean") + Field("Private_Dirty");
                Console.WriteLine($"{pid}\t{Field("Rss")}\t{Field("Pss")}\t{priv}");
            }
            // Exploration: keep the containers for a while to look at the monitors (CONTAINER_START_HOLD=seconds).
            if (int.TryParse(Environment.GetEnvironmentVariable("CONTAINER_START_HOLD"), out var hold)) Thread.Sleep(hold * 1000);
            return 0;
        }
        finally
        {
            await RemoveAll(m);
        }
    }

    private static async Task<int> Probe(string root, string runtime, string[] command)
    {
        var m = Open(root);
        try
        {
            var c = m.Run(new ContainerCreateOptions { Image = "busybox", Command = command, Runtime = RuntimeOption(runtime) });
            var code = await m.WaitAsync(c.Id, CancellationToken.None);
            await foreach (var line in m.ReadLogsAsync(c.Id, new LogReadOptions(), CancellationToken.None)) Console.WriteLine(line.Text);
            Console.WriteLine($"exit {code}");
            return 0;
        }
        finally
        {
            await RemoveAll(m);
        }
    }

    private static async Task<int> ProbeStop(string root, string runtime, int timeout, string[] command)
    {
        var m = Open(root);
        try
        {
            var c = m.Run(new ContainerCreateOptions { Image = "busybox", Command = command, Runtime = RuntimeOption(runtime) });
            Console.WriteLine($"started {c.Id} pid {m.Get(c.Id).Pid}");
            Thread.Sleep(500);
            var sw = Stopwatch.StartNew();
            var stopped = await m.StopAsync(c.Id, timeout, null, CancellationToken.None);
            Console.WriteLine($"stopped in {sw.ElapsedMilliseconds} ms: {stopped.State} exit {stopped.ExitCode} error {stopped.Error}");
            await foreach (var line in m.ReadLogsAsync(c.Id, new LogReadOptions(), CancellationToken.None)) Console.WriteLine("log: " + line.Text);
            Console.WriteLine(File.ReadAllText(Path.Combine(m.Layout.Containers, c.Id, "monitor.log")));
            return 0;
        }
        finally
        {
            if (Environment.GetEnvironmentVariable("KEEP") is null) await RemoveAll(m);
        }
    }

    private static async Task<int> RemoveAllCommand(string root)
    {
        if (Directory.Exists(root)) await RemoveAll(Open(root));
        return 0;
    }

    private static async Task RemoveAll(ContainerManager m)
    {
        foreach (var c in m.List(all: true))
        {
            try { await m.RemoveAsync(c.Id, force: true, CancellationToken.None); }
            catch (Exception ex) { Console.Error.WriteLine($"container-start-driver: removing {c.Id}: {ex.Message}"); }
        }
    }
}
