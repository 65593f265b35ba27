using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Reflection;
using ContainerPS.Shell.Hosting;

namespace ContainerPS.Shell;

/// <summary>
/// Runs scripts in one runspace with the cpsh host: every pipeline ends in Out-Default (so
/// format.ps1xml views apply), errors are printed as they are written, and Ctrl+C stops
/// the running pipeline (cmdlets get StopProcessing).
/// </summary>
internal sealed class ShellRunner : IDisposable
{
    /// <summary>Exit code for a terminating error or a failed last command, as pwsh.</summary>
    public const int FailureExitCode = 1;

    private readonly object _lock = new();
    private readonly ShellHost _host = new();
    private readonly Runspace _runspace;
    private readonly bool _interactive;
    private PowerShell? _current;
    private bool _stopRequested;

    public ShellRunner(bool interactive)
    {
        _interactive = interactive;
        _runspace = RunspaceFactory.CreateRunspace(_host, ShellSessionState.Create());
        _runspace.Open();
        Console.CancelKeyPress += OnCancelKeyPress;
    }

    public ShellHost Host => _host;

    public Runspace Runspace => _runspace;

    /// <summary>Imports the ContainerPS module if it can be found; warns (once) if not.</summary>
    public void ImportDefaultModule()
    {
        string? path = ModuleLocator.Find(out string? warning);
        if (warning is not null)
        {
            _host.UI.WriteWarningLine(warning);
        }

        if (path is not null)
        {
            Execute(ps => ps.AddCommand("Import-Module").AddParameter("Name", path), addToHistory: false);
        }
    }

    /// <summary>Runs script text like <c>pwsh -Command</c> and returns the process exit code.</summary>
    public int RunCommand(string script)
    {
        if (!CheckSyntax(script))
        {
            return FailureExitCode;
        }

        bool completed = Execute(ps => ps.AddScript(script), addToHistory: true);
        return ExitCode(completed);
    }

    /// <summary>Runs a script file like <c>pwsh -File</c> and returns the process exit code.</summary>
    public int RunFile(string path, IReadOnlyList<string> arguments)
    {
        if (!System.IO.File.Exists(path))
        {
            _host.ShellUI.WriteErrorBlock($"The argument '{path}' is not recognized as the name of a script file. Check the spelling of the name, or if a path was included, verify that the path is correct and try again.");
            return 64;
        }

        string fullPath = Path.GetFullPath(path);

        // Like pwsh on Unix, a file without the .ps1 extension (a #! script) is run as script text.
        Command command = fullPath.EndsWith(".ps1", StringComparison.OrdinalIgnoreCase)
            ? new Command(fullPath, isScript: false, useLocalScope: false)
            : new Command(System.IO.File.ReadAllText(fullPath), isScript: true, useLocalScope: false);
        foreach (CommandParameter parameter in BindArguments(arguments))
        {
            command.Parameters.Add(parameter);
        }

        RethrowExitFromScriptFile();
        bool completed = Execute(ps => ps.Commands.AddCommand(command), addToHistory: true);
        return ExitCode(completed);
    }

    /// <summary>
    /// Runs one pipeline ending in Out-Default. Returns false when it ended in a terminating
    /// error (already printed) or was stopped.
    /// </summary>
    public bool Execute(Action<PowerShell> build, bool addToHistory)
    {
        using PowerShell ps = PowerShell.Create();
        ps.Runspace = _runspace;
        build(ps);
        ps.AddCommand("Out-Default");
        ps.Streams.Error.DataAdded += (sender, e) =>
        {
            var errors = (PSDataCollection<ErrorRecord>)sender!;
            ReportError(errors[e.Index]);
        };

        lock (_lock)
        {
            _current = ps;
            _stopRequested = false;
        }

        try
        {
            ps.Invoke(input: null, new PSInvocationSettings { AddToHistory = addToHistory });
            return !_stopRequested;
        }
        catch (PipelineStoppedException)
        {
            return false;
        }
        catch (RuntimeException e)
        {
            if (e.ErrorRecord?.Exception is PipelineStoppedException)
            {
                return false;
            }

            ErrorRecord record = e.ErrorRecord ?? new ErrorRecord(e, "UnhandledException", ErrorCategory.NotSpecified, null);
            if (record.Exception is ParentContainsErrorRecordException)
            {
                // Show the real exception (e.g. ParseException, with its positions).
                record = new ErrorRecord(record, e);
            }

            ReportError(record);
            return false;
        }
        finally
        {
            lock (_lock)
            {
                _current = null;
            }
        }
    }

    /// <summary>Prints an error record to stderr in NormalView style.</summary>
    public void ReportError(ErrorRecord error)
    {
        string text;
        try
        {
            text = ErrorRenderer.Render(error);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            text = error.ToString();
        }

        _host.ShellUI.WriteErrorBlock(text);
    }

    /// <summary>Parses <paramref name="script"/> first so syntax errors are reported with their positions.</summary>
    public bool CheckSyntax(string script)
    {
        System.Management.Automation.Language.Parser.ParseInput(script, out _, out var errors);
        if (errors.Length == 0)
        {
            return true;
        }

        var parse = new ParseException(errors);
        ReportError(new ErrorRecord(parse, errors[0].ErrorId, ErrorCategory.ParserError, null));
        return false;
    }

    /// <summary>The value of <c>$?</c> after the last pipeline.</summary>
    public bool LastCommandSucceeded()
    {
        using PowerShell ps = PowerShell.Create();
        ps.Runspace = _runspace;
        ps.AddScript("$global:?");
        try
        {
            var result = ps.Invoke();
            return result.Count > 0 && LanguagePrimitives.IsTrue(result[0]);
        }
        catch (RuntimeException)
        {
            return false;
        }
    }

    public void Dispose()
    {
        Console.CancelKeyPress -= OnCancelKeyPress;
        _runspace.Dispose();
    }

    private int ExitCode(bool completed)
    {
        if (_host.ShouldExit)
        {
            return _host.ExitCode;
        }

        return completed && LastCommandSucceeded() ? 0 : FailureExitCode;
    }

    /// <summary>
    /// pwsh's way of passing -File arguments: "-Name" names a parameter (bound with the next
    /// argument unless it is a switch), "-Name:value" binds directly, anything else is positional.
    /// </summary>
    private static IEnumerable<CommandParameter> BindArguments(IReadOnlyList<string> arguments)
    {
        foreach (string argument in arguments)
        {
            if (argument.Length > 1 && argument[0] == '-' && !char.IsAsciiDigit(argument[1]))
            {
                int colon = argument.IndexOf(':', StringComparison.Ordinal);
                if (colon > 0 && colon < argument.Length - 1)
                {
                    string value = argument[(colon + 1)..];
                    object boxed = value.Equals("$true", StringComparison.OrdinalIgnoreCase) ? true
                        : value.Equals("$false", StringComparison.OrdinalIgnoreCase) ? false
                        : value;
                    yield return new CommandParameter(argument[1..colon], boxed);
                }
                else
                {
                    yield return new CommandParameter(argument.TrimEnd(':'));
                }
            }
            else
            {
                yield return new CommandParameter(null, argument);
            }
        }
    }

    /// <summary>
    /// Makes <c>exit N</c> inside the script file end the process with N, as pwsh -File does
    /// (it sets the same internal ExecutionContext flag); without it a script file's exit only
    /// sets $LASTEXITCODE. Best effort: if SMA's internals differ, exit in a file just ends the file.
    /// </summary>
    private void RethrowExitFromScriptFile()
    {
        const BindingFlags flags = BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public;
        object? context = typeof(Runspace).GetProperty("ExecutionContext", flags)?.GetValue(_runspace);
        context?.GetType().GetProperty("ScriptCommandProcessorShouldRethrowExit", flags)?.SetValue(context, true);
    }

    private void OnCancelKeyPress(object? sender, ConsoleCancelEventArgs e)
    {
        PowerShell? running;
        bool alreadyStopping;
        lock (_lock)
        {
            running = _current;
            alreadyStopping = _stopRequested;
            if (running is not null)
            {
                _stopRequested = true;
            }
        }

        if (running is not null && !alreadyStopping)
        {
            // First Ctrl+C stops the pipeline; a second one (stop hanging) ends the process.
            e.Cancel = true;
            running.BeginStop(null, null);
        }
        else if (running is null && _interactive)
        {
            e.Cancel = true;
        }
    }
}
