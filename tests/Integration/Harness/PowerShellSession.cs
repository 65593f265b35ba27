using System.Management.Automation;
using System.Management.Automation.Runspaces;
using ContainerPS.Shell;

namespace ContainerPS.Tests.Integration.Harness;

/// <summary>
/// A PowerShell runspace for in-process tests, with the same session state as cpsh
/// (<see cref="ShellSessionState.Create"/>: core cmdlets plus cpsh's utility cmdlets), an
/// optional module imported, and <see cref="Run"/> returning every stream. Usable as an
/// xunit class fixture (one runspace per test class); not safe for concurrent Run calls.
/// </summary>
public sealed class PowerShellSession : IDisposable
{
    private readonly Runspace _runspace;

    /// <summary>A session without any module (the constructor xunit uses for class fixtures).</summary>
    public PowerShellSession()
    {
        _runspace = RunspaceFactory.CreateRunspace(ShellSessionState.Create());
        _runspace.Open();
    }

    /// <summary>A session with <paramref name="modulePath"/> (a .psd1/.psm1/.dll) imported.</summary>
    public static PowerShellSession WithModule(string modulePath)
    {
        var session = new PowerShellSession();
        try
        {
            session.ImportModule(modulePath);
            return session;
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    public Runspace Runspace => _runspace;

    /// <summary>A session with the built ContainerPS module (see <see cref="TestPaths.FindModuleManifest"/>).</summary>
    public static PowerShellSession WithContainerPSModule() =>
        WithModule(TestPaths.FindModuleManifest()
            ?? throw new InvalidOperationException("The ContainerPS module is not built: run ./build.sh or set CONTAINERPS_MODULE."));

    /// <summary>Imports a module into the session; throws with the rendered errors if that fails.</summary>
    public void ImportModule(string path)
    {
        Run("Import-Module -Name $ModulePath -ErrorAction Stop", new Dictionary<string, object?> { ["ModulePath"] = path })
            .EnsureSuccess();
    }

    /// <summary>Sets the session's current location (relative paths in scripts resolve there).</summary>
    public void SetLocation(string path) => _runspace.SessionStateProxy.Path.SetLocation(WildcardPattern.Escape(path));

    /// <summary>
    /// Runs <paramref name="script"/>. <paramref name="variables"/> are set as global
    /// variables first. A terminating error does not throw: it is in
    /// <see cref="ScriptResult.TerminatingError"/> and last in <see cref="ScriptResult.Errors"/>.
    /// </summary>
    public ScriptResult Run(string script, IReadOnlyDictionary<string, object?>? variables = null)
    {
        foreach ((string name, object? value) in variables ?? new Dictionary<string, object?>())
        {
            _runspace.SessionStateProxy.SetVariable(name, value);
        }

        using PowerShell ps = PowerShell.Create();
        ps.Runspace = _runspace;
        ps.AddScript(script);
        var output = new List<PSObject>();
        RuntimeException? terminating = null;
        try
        {
            ps.Invoke(input: null, output);
        }
        catch (RuntimeException e)
        {
            terminating = e;
        }

        var errors = ps.Streams.Error.ToList();
        if (terminating is not null)
        {
            errors.Add(terminating.ErrorRecord);
        }

        return new ScriptResult(
            output,
            errors,
            ps.Streams.Information.ToList(),
            ps.Streams.Warning.ToList(),
            ps.Streams.Verbose.ToList(),
            ps.HadErrors || terminating is not null,
            terminating)
        {
            Progress = ps.Streams.Progress.ToList(),
            Debug = ps.Streams.Debug.ToList(),
        };
    }

    public void Dispose() => _runspace.Dispose();
}
