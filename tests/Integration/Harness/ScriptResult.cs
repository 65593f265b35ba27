using System.Management.Automation;
using ContainerPS.Shell.Hosting;

namespace ContainerPS.Tests.Integration.Harness;

/// <summary>Everything one <see cref="PowerShellSession.Run"/> produced.</summary>
public sealed class ScriptResult
{
    public ScriptResult(
        IReadOnlyList<PSObject> output,
        IReadOnlyList<ErrorRecord> errors,
        IReadOnlyList<InformationRecord> information,
        IReadOnlyList<WarningRecord> warnings,
        IReadOnlyList<VerboseRecord> verbose,
        bool hadErrors,
        RuntimeException? terminatingError)
    {
        Output = output;
        Errors = errors;
        Information = information;
        Warnings = warnings;
        Verbose = verbose;
        HadErrors = hadErrors;
        TerminatingError = terminatingError;
    }

    /// <summary>Objects written to the output stream (up to a terminating error).</summary>
    public IReadOnlyList<PSObject> Output { get; }

    /// <summary>Error records, including the terminating one (last) if there was one.</summary>
    public IReadOnlyList<ErrorRecord> Errors { get; }

    /// <summary>Information records: Write-Information and Write-Host (tagged PSHOST).</summary>
    public IReadOnlyList<InformationRecord> Information { get; }

    public IReadOnlyList<WarningRecord> Warnings { get; }

    /// <summary>Verbose records (only those $VerbosePreference or -Verbose let through).</summary>
    public IReadOnlyList<VerboseRecord> Verbose { get; }

    /// <summary>Progress records (Write-Progress), in the order written.</summary>
    public IReadOnlyList<ProgressRecord> Progress { get; init; } = Array.Empty<ProgressRecord>();

    /// <summary>Debug records (only those $DebugPreference or -Debug let through).</summary>
    public IReadOnlyList<DebugRecord> Debug { get; init; } = Array.Empty<DebugRecord>();

    /// <summary>True when any error was written or the script ended in a terminating error.</summary>
    public bool HadErrors { get; }

    /// <summary>The exception that ended the script, if any.</summary>
    public RuntimeException? TerminatingError { get; }

    /// <summary>The output objects without their PSObject wrappers (PSCustomObjects stay PSObjects).</summary>
    public IReadOnlyList<object?> Values =>
        Output.Select(o => o is null ? null : o.BaseObject is PSCustomObject ? o : o.BaseObject).ToList();

    /// <summary>The output as strings, one per object.</summary>
    public IReadOnlyList<string> Strings => Output.Select(o => o?.ToString() ?? string.Empty).ToList();

    /// <summary>All errors rendered the way cpsh prints them.</summary>
    public string ErrorText => string.Join("\n", Errors.Select(ErrorRenderer.Render));

    /// <summary>Throws with the rendered errors when the script had any; returns this otherwise.</summary>
    public ScriptResult EnsureSuccess() =>
        HadErrors ? throw new InvalidOperationException("The script failed:\n" + ErrorText) : this;
}
