using System.Diagnostics;
using ContainerPS.Runtime.Cgroups;

namespace ContainerPS.Tests.Unit.Cgroups;

/// <summary>
/// A real cgroup on this machine for one test ("cps-test-&lt;guid&gt;") and the child processes the
/// test started. Dispose thaws, kills those children and whatever is left in the test's own
/// cgroup (all started by the test), by PID, then removes the cgroup — even when the test failed.
/// </summary>
internal sealed class RealCgroup : IDisposable
{
    private readonly List<Process> _children = new();

    /// <param name="manager">The manager for the test's cgroup ID (default: the one this machine's layout gets).</param>
    public RealCgroup(Func<string, ICgroupManager>? manager = null)
    {
        if (!Environment.IsPrivilegedProcess)
            throw new InvalidOperationException("the real cgroup tests need root: run the test command as root");
        Id = "cps-test-" + Guid.NewGuid().ToString("N");
        Info = CgroupDetector.Detect();
        Manager = manager?.Invoke(Id) ?? CgroupManagerFactory.For(Id);
    }

    public string Id { get; }
    public CgroupInfo Info { get; }
    public ICgroupManager Manager { get; }

    /// <summary>The file that holds a setting, on whichever layout this machine has.</summary>
    public string File(string v1Controller, string v1Name, string v2Name) => Manager switch
    {
        CgroupV1Manager v1 => v1.DirectoryOf(v1Controller) + "/" + v1Name,
        CgroupV2Manager v2 => v2.Directory + "/" + v2Name,
        _ => throw new InvalidOperationException(),
    };

    public string Read(string v1Controller, string v1Name, string v2Name) =>
        System.IO.File.ReadAllText(File(v1Controller, v1Name, v2Name)).Trim();

    /// <summary>Starts <c>sh -c script</c>, stdin/stdout/stderr redirected so the script can wait on a line.</summary>
    public Process StartShell(string script)
    {
        var psi = new ProcessStartInfo("/bin/sh") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add(script);
        var p = Process.Start(psi)!;
        _children.Add(p);
        return p;
    }

    /// <summary>
    /// Runs <c>sh -c script</c> inside the cgroup from its first command on (the shell waits for
    /// a line until it has been moved in) and returns what it wrote.
    /// </summary>
    public (string Stdout, string Stderr) RunInside(string script)
    {
        var sh = StartShell("read go; " + script);
        Manager.AddProcess(sh.Id);
        sh.StandardInput.WriteLine("go");
        sh.StandardInput.Close();
        var stderr = sh.StandardError.ReadToEndAsync();
        var stdout = sh.StandardOutput.ReadToEnd();
        if (!sh.WaitForExit(30_000)) throw new TimeoutException("sh -c " + script);
        return (stdout, stderr.GetAwaiter().GetResult());
    }

    public Process Start(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file);
        foreach (var a in args) psi.ArgumentList.Add(a);
        var p = Process.Start(psi)!;
        _children.Add(p);
        return p;
    }

    public void Dispose()
    {
        try { if (Manager.Exists) Manager.Thaw(); } catch (CgroupException) { }
        foreach (var p in _children)
        {
            try { if (!p.HasExited) p.Kill(); } catch (InvalidOperationException) { }
        }
        // Descendants of our children that are still in our cgroup (e.g. the sleeps of a forking script).
        try
        {
            foreach (var pid in Manager.Processes())
                try { Process.GetProcessById(pid).Kill(); } catch (ArgumentException) { } catch (InvalidOperationException) { }
        }
        catch (CgroupException) { }
        foreach (var p in _children)
        {
            p.WaitForExit(5000);
            p.Dispose();
        }
        Manager.Destroy(TimeSpan.FromSeconds(5));
    }
}
