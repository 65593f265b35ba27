using System.Management.Automation;
using System.Management.Automation.Language;

namespace ContainerPS.Shell;

/// <summary>
/// The interactive prompt: shows the session's <c>prompt</c> function (pwsh's default is
/// <c>PS /path&gt; </c>), reads a line, keeps reading with <c>&gt;&gt; </c> while the parser
/// reports incomplete input (an empty line gives up), runs it, and ends on <c>exit</c> or
/// end of input.
/// </summary>
internal sealed class InteractiveLoop
{
    private readonly ShellRunner _runner;

    public InteractiveLoop(ShellRunner runner)
    {
        _runner = runner;
    }

    public int Run()
    {
        while (true)
        {
            _runner.Host.UI.Write(Prompt());
            string? line = Console.ReadLine();
            if (line is null)
            {
                _runner.Host.UI.WriteLine(string.Empty);
                return 0;
            }

            string script = line;
            while (IsIncomplete(script))
            {
                _runner.Host.UI.Write(">> ");
                string? more = Console.ReadLine();
                if (string.IsNullOrEmpty(more))
                {
                    break;
                }

                script += "\n" + more;
            }

            if (string.IsNullOrWhiteSpace(script))
            {
                continue;
            }

            if (_runner.CheckSyntax(script))
            {
                _runner.Execute(ps => ps.AddScript(script), addToHistory: true);
            }

            if (_runner.Host.ShouldExit)
            {
                return _runner.Host.ExitCode;
            }
        }
    }

    private static bool IsIncomplete(string script)
    {
        Parser.ParseInput(script, out _, out ParseError[] errors);
        return errors.Any(e => e.IncompleteInput);
    }

    private string Prompt()
    {
        using PowerShell ps = PowerShell.Create();
        ps.Runspace = _runner.Runspace;
        ps.AddCommand("prompt");
        try
        {
            var result = ps.Invoke();
            if (result.Count > 0 && result[0]?.ToString() is { Length: > 0 } text)
            {
                return text;
            }
        }
        catch (RuntimeException)
        {
            // fall back to the plain prompt below
        }

        return "PS> ";
    }
}
