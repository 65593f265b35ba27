using System.Management.Automation;
using ContainerPS.Tests.Integration.Harness;
using ContainerPS.Tests.Integration.Images;

namespace ContainerPS.Tests.Integration.ContainersStats;

/// <summary>
/// The built module in a throw-away store (<see cref="ImageSession"/>) with busybox:latest from
/// scripts/New-BusyboxImage.ps1, for Get-ContainerProcess and Get-ContainerStats on real
/// containers. <see cref="RemoveAll"/> removes every container, for each test's clean-up.
/// </summary>
public sealed class StatsSession : IDisposable
{
    private readonly ImageSession _session;

    public StatsSession()
    {
        _session = new ImageSession();
        try
        {
            var shim = Path.Combine(Path.GetDirectoryName(_session.ModuleManifest)!, "deps", "containerps-shim");
            if (Environment.GetEnvironmentVariable("CONTAINERPS_SHIM") is not { Length: > 0 } && !File.Exists(shim))
                throw new InvalidOperationException($"The container shim is not built ({shim}): run ./build.sh first.");
            _session.RunOk("& $script | Out-Null", ("script", Path.Combine(TestPaths.RepoRoot, "scripts", "New-BusyboxImage.ps1")));
        }
        catch
        {
            _session.Dispose();
            throw;
        }
    }

    public ScriptResult Run(string script, params (string Name, object? Value)[] variables) => _session.Run(script, variables);

    public IReadOnlyList<PSObject> RunOk(string script, params (string Name, object? Value)[] variables) => _session.RunOk(script, variables);

    /// <summary>Removes every container (twice: one still exiting in the first pass goes in the second).</summary>
    public void RemoveAll()
    {
        for (var i = 0; i < 2; i++)
            _session.Run("Get-Container -All | ForEach-Object { Remove-Container -Id $_.Id -Force -ErrorAction SilentlyContinue }");
    }

    public void Dispose()
    {
        try { RemoveAll(); }
        finally { _session.Dispose(); }
    }
}
