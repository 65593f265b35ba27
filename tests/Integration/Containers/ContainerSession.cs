using System.Management.Automation;
using ContainerPS.Tests.Integration.Harness;
using ContainerPS.Tests.Integration.Images;

namespace ContainerPS.Tests.Integration.Containers;

/// <summary>
/// An <see cref="ImageSession"/> (the built module, a throw-away store of its own) with
/// busybox:latest made by scripts/New-BusyboxImage.ps1, for running real containers. One per
/// test class. Scripts run with a time limit, so a container that never exits fails its test
/// instead of hanging the run; <see cref="Track"/> removes what a test created.
/// </summary>
public sealed class ContainerSession : IDisposable
{
    /// <summary>How long one script may run before it is stopped (Ctrl+C) and the test fails.</summary>
    public static readonly TimeSpan ScriptTimeout = TimeSpan.FromSeconds(60);

    private readonly ImageSession _session;

    public ContainerSession()
    {
        _session = new ImageSession();
        try
        {
            var shim = Environment.GetEnvironmentVariable("CONTAINERPS_SHIM") is { Length: > 0 } configured
                ? configured
                : Path.Combine(Path.GetDirectoryName(_session.ModuleManifest)!, "deps", "containerps-shim");
            if (!File.Exists(shim))
                throw new InvalidOperationException($"The container shim is not built ({shim}): run ./build.sh first.");

            var script = Path.Combine(TestPaths.RepoRoot, "scripts", "New-BusyboxImage.ps1");
            _session.RunOk("& $script | Out-Null", ("script", script));
        }
        catch
        {
            _session.Dispose();
            throw;
        }
    }

    public PowerShellSession Shell => _session.Shell;

    /// <summary>The session's store root ($env:CONTAINERPS_ROOT while it lives), for other processes to share.</summary>
    public string StoreRoot => _session.StoreRoot;

    /// <summary>The manifest of the module under test (its directory has the format files).</summary>
    public string ModuleManifest => _session.ModuleManifest;

    /// <summary>Runs <paramref name="script"/>; stops it (as Ctrl+C does) after <see cref="ScriptTimeout"/> and fails.</summary>
    public ScriptResult Run(string script, params (string Name, object? Value)[] variables)
    {
        foreach (var (name, value) in variables) Shell.Runspace.SessionStateProxy.SetVariable(name, value);

        using var ps = PowerShell.Create();
        ps.Runspace = Shell.Runspace;
        ps.AddScript(script);
        var output = new PSDataCollection<PSObject>();
        var invocation = ps.BeginInvoke<PSObject, PSObject>(null, output);
        if (!invocation.AsyncWaitHandle.WaitOne(ScriptTimeout))
        {
            ps.Stop();
            throw new Xunit.Sdk.XunitException($"script still running after {ScriptTimeout.TotalSeconds:0} s (stopped): {script}\noutput so far: {string.Join(" | ", output)}");
        }

        RuntimeException? terminating = null;
        try
        {
            ps.EndInvoke(invocation);
        }
        catch (RuntimeException e)
        {
            terminating = e;
        }

        var errors = ps.Streams.Error.ToList();
        if (terminating is not null) errors.Add(terminating.ErrorRecord);
        return new ScriptResult(output.ToList(), errors, ps.Streams.Information.ToList(), ps.Streams.Warning.ToList(),
            ps.Streams.Verbose.ToList(), ps.HadErrors || terminating is not null, terminating)
        { Progress = ps.Streams.Progress.ToList() };
    }

    /// <summary>As <see cref="Run"/>, failing the test on any error; returns the output.</summary>
    public IReadOnlyList<PSObject> RunOk(string script, params (string Name, object? Value)[] variables)
    {
        var result = Run(script, variables);
        if (result.HadErrors) throw new Xunit.Sdk.XunitException($"script failed: {script}\n{ImageSession.Describe(result.Errors)}");
        return result.Output;
    }

    /// <summary>$LASTEXITCODE in the session (null when no container set it).</summary>
    public int? LastExitCode => RunOk("$global:LASTEXITCODE").SingleOrDefault()?.BaseObject as int?;

    /// <summary>
    /// Remembers the containers that exist now; disposing the result removes (-Force) every
    /// container created since, so a test cleans up even when it fails half-way.
    /// </summary>
    public IDisposable Track() => new ContainerScope(this);

    public void Dispose() => _session.Dispose();

    private sealed class ContainerScope : IDisposable
    {
        private readonly ContainerSession _session;
        private readonly HashSet<string> _before;

        public ContainerScope(ContainerSession session)
        {
            _session = session;
            _before = Ids();
        }

        public void Dispose()
        {
            var created = new HashSet<string>(StringComparer.Ordinal);
            // Twice: a container that was still exiting during the first pass goes in the second.
            for (var attempt = 0; attempt < 2; attempt++)
            {
                var now = Ids().Except(_before).ToArray();
                if (now.Length == 0) break;
                created.UnionWith(now);
                _session.Run("$ids | ForEach-Object { Remove-Container -Id $_ -Force -ErrorAction SilentlyContinue }", ("ids", now));
            }

            // Whatever the engine could not stop (or removed while its monitor lived on) is
            // killed here, so a test run never leaves processes behind.
            if (LeftoverProcesses.Kill(created) == 0) return;
            Thread.Sleep(300);
            var left = Ids().Except(_before).ToArray();
            if (left.Length > 0)
                _session.Run("$ids | ForEach-Object { Remove-Container -Id $_ -Force -ErrorAction SilentlyContinue }", ("ids", left));
        }

        private HashSet<string> Ids() =>
            _session.Run("(Get-Container -All).Id").Output.Where(o => o is not null).Select(o => (string)o.BaseObject).ToHashSet(StringComparer.Ordinal);
    }
}
