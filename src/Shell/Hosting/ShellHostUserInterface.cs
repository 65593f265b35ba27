using System.Collections.ObjectModel;
using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Security;
using System.Text;

namespace ContainerPS.Shell.Hosting;

/// <summary>
/// Console user interface of the cpsh host. Output (Out-Default, Write-Host) goes to
/// stdout; errors, warnings, verbose, debug and progress go to stderr, so redirecting
/// stdout captures only results. Colours are ANSI sequences, used only on terminals.
/// </summary>
internal sealed class ShellHostUserInterface : PSHostUserInterface
{
    private readonly object _consoleLock = new();
    private readonly ShellRawUserInterface _rawUI = new();
    private readonly ProgressRenderer _progress;
    private readonly bool _stdoutColor;
    private readonly bool _stderrColor;

    public ShellHostUserInterface()
    {
        _progress = new ProgressRenderer(_consoleLock);
        bool dumb = string.Equals(Environment.GetEnvironmentVariable("TERM"), "dumb", StringComparison.Ordinal)
            || Environment.GetEnvironmentVariable("NO_COLOR") is { Length: > 0 };
        _stdoutColor = !dumb && !Console.IsOutputRedirected;
        _stderrColor = !dumb && !Console.IsErrorRedirected;
    }

    public override PSHostRawUserInterface RawUI => _rawUI;

    /// <summary>Lets $PSStyle decorate output (table headers etc.) only on a real terminal.</summary>
    public override bool SupportsVirtualTerminal => _stdoutColor;

    public override string ReadLine()
    {
        lock (_consoleLock)
        {
            _progress.ClearLocked();
        }

        return Console.ReadLine() ?? string.Empty;
    }

    public override SecureString ReadLineAsSecureString()
    {
        SecureString secure = ReadSecret(mask: true) ?? new SecureString();
        secure.MakeReadOnly();
        return secure;
    }

    public override void Write(string value) => WriteOut(value, null, null);

    public override void Write(ConsoleColor foregroundColor, ConsoleColor backgroundColor, string value) =>
        WriteOut(value, foregroundColor, backgroundColor);

    public override void WriteLine(string value) => WriteOut(value + "\n", null, null);

    public override void WriteLine(ConsoleColor foregroundColor, ConsoleColor backgroundColor, string value) =>
        WriteOut(value + "\n", foregroundColor, backgroundColor);

    public override void WriteErrorLine(string value) => WriteErr(value, ConsoleColor.Red);

    public override void WriteWarningLine(string message) => WriteErr("WARNING: " + message, ConsoleColor.Yellow);

    public override void WriteVerboseLine(string message) => WriteErr("VERBOSE: " + message, ConsoleColor.Yellow);

    public override void WriteDebugLine(string message) => WriteErr("DEBUG: " + message, ConsoleColor.Yellow);

    public override void WriteProgress(long sourceId, ProgressRecord record) => _progress.Update(sourceId, record);

    /// <summary>Writes a block of text (an error view) to stderr in one piece.</summary>
    public void WriteErrorBlock(string text) => WriteErr(text.TrimEnd('\n'), ConsoleColor.Red);

    public override Dictionary<string, PSObject> Prompt(string caption, string message, Collection<FieldDescription> descriptions)
    {
        ArgumentNullException.ThrowIfNull(descriptions);
        WriteCaption(caption, message);
        var results = new Dictionary<string, PSObject>(StringComparer.OrdinalIgnoreCase);
        foreach (FieldDescription field in descriptions)
        {
            string label = string.IsNullOrEmpty(field.Label) ? field.Name : field.Label.Replace("&", string.Empty, StringComparison.Ordinal);
            string typeName = field.ParameterTypeFullName ?? string.Empty;
            if (typeName == typeof(PSCredential).FullName)
            {
                results[field.Name] = PSObject.AsPSObject(PromptForCredential(string.Empty, string.Empty, string.Empty, string.Empty));
            }
            else if (typeName == typeof(SecureString).FullName)
            {
                Write(label + ": ");
                results[field.Name] = PSObject.AsPSObject(ReadLineAsSecureString());
            }
            else if (typeName.EndsWith("[]", StringComparison.Ordinal))
            {
                // Arrays are entered one element per line, ended by an empty line (as pwsh does).
                var items = new List<string>();
                while (true)
                {
                    Write(string.Create(CultureInfo.InvariantCulture, $"{label}[{items.Count}]: "));
                    string? line = ReadLineOrNull();
                    if (string.IsNullOrEmpty(line))
                    {
                        break;
                    }

                    items.Add(line);
                }

                results[field.Name] = PSObject.AsPSObject(items.ToArray());
            }
            else
            {
                Write(label + ": ");
                string line = ReadLineOrNull() ?? throw new PromptingException($"cpsh: end of input while prompting for '{label}'.");
                results[field.Name] = PSObject.AsPSObject(line);
            }
        }

        return results;
    }

    public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName) =>
        PromptForCredential(caption, message, userName, targetName, PSCredentialTypes.Default, PSCredentialUIOptions.Default);

    public override PSCredential PromptForCredential(
        string caption,
        string message,
        string userName,
        string targetName,
        PSCredentialTypes allowedCredentialTypes,
        PSCredentialUIOptions options)
    {
        WriteCaption(caption, message);
        if (string.IsNullOrEmpty(userName))
        {
            Write("User: ");
            userName = ReadLineOrNull() ?? throw new PromptingException("cpsh: end of input while prompting for a user name.");
        }

        Write($"Password for user {userName}: ");
        SecureString password = ReadSecret(mask: true)
            ?? throw new PromptingException("cpsh: end of input while prompting for a password.");
        password.MakeReadOnly();
        return new PSCredential(userName, password);
    }

    public override int PromptForChoice(string caption, string message, Collection<ChoiceDescription> choices, int defaultChoice)
    {
        ArgumentNullException.ThrowIfNull(choices);
        WriteCaption(caption, message);
        var hotkeys = choices.Select(c => HotKey(c.Label)).ToArray();
        var line = new StringBuilder();
        for (int i = 0; i < choices.Count; i++)
        {
            line.Append('[').Append(hotkeys[i]).Append("] ").Append(choices[i].Label.Replace("&", string.Empty, StringComparison.Ordinal)).Append("  ");
        }

        line.Append("[?] Help");
        if (defaultChoice >= 0 && defaultChoice < choices.Count)
        {
            line.Append(" (default is \"").Append(hotkeys[defaultChoice]).Append("\")");
        }

        line.Append(": ");
        while (true)
        {
            Write(line.ToString());
            string? answer = ReadLineOrNull();
            if (answer is null)
            {
                if (defaultChoice >= 0)
                {
                    return defaultChoice;
                }

                throw new PromptingException("cpsh: end of input while waiting for a choice.");
            }

            answer = answer.Trim();
            if (answer.Length == 0 && defaultChoice >= 0)
            {
                return defaultChoice;
            }

            if (answer == "?")
            {
                for (int i = 0; i < choices.Count; i++)
                {
                    WriteLine($"{hotkeys[i]} - {choices[i].HelpMessage}");
                }

                continue;
            }

            for (int i = 0; i < choices.Count; i++)
            {
                if (string.Equals(answer, hotkeys[i], StringComparison.OrdinalIgnoreCase)
                    || string.Equals(answer, choices[i].Label.Replace("&", string.Empty, StringComparison.Ordinal), StringComparison.OrdinalIgnoreCase))
                {
                    return i;
                }
            }
        }
    }

    private static string HotKey(string label)
    {
        int amp = label.IndexOf('&', StringComparison.Ordinal);
        return amp >= 0 && amp + 1 < label.Length
            ? char.ToUpperInvariant(label[amp + 1]).ToString()
            : label.Length > 0 ? char.ToUpperInvariant(label[0]).ToString() : "?";
    }

    private void WriteCaption(string? caption, string? message)
    {
        if (!string.IsNullOrEmpty(caption))
        {
            WriteLine(caption);
        }

        if (!string.IsNullOrEmpty(message))
        {
            WriteLine(message);
        }
    }

    private string? ReadLineOrNull()
    {
        lock (_consoleLock)
        {
            _progress.ClearLocked();
        }

        return Console.ReadLine();
    }

    /// <summary>Reads a line without echo (stars on a terminal); null at end of input.</summary>
    private SecureString? ReadSecret(bool mask)
    {
        var secure = new SecureString();
        if (Console.IsInputRedirected)
        {
            string? line = Console.ReadLine();
            if (line is null)
            {
                return null;
            }

            foreach (char c in line)
            {
                secure.AppendChar(c);
            }

            return secure;
        }

        while (true)
        {
            ConsoleKeyInfo key = Console.ReadKey(intercept: true);
            if (key.Key == ConsoleKey.Enter)
            {
                Console.Out.Write('\n');
                return secure;
            }

            if (key.Key == ConsoleKey.Backspace)
            {
                if (secure.Length > 0)
                {
                    secure.RemoveAt(secure.Length - 1);
                    if (mask)
                    {
                        Console.Out.Write("\b \b");
                    }
                }

                continue;
            }

            if (key.KeyChar == '\0')
            {
                continue;
            }

            secure.AppendChar(key.KeyChar);
            if (mask)
            {
                Console.Out.Write('*');
            }
        }
    }

    private void WriteOut(string value, ConsoleColor? foreground, ConsoleColor? background)
    {
        // $PSStyle decorations (table headers...) are kept only when stdout is a terminal.
        value = GetOutputString(value, _stdoutColor);

        // The engine passes the raw UI's colours when none were asked for (Write-Host without
        // -ForegroundColor): those mean "the terminal's default", not black/gray.
        if (foreground == _rawUI.ForegroundColor)
        {
            foreground = null;
        }

        if (background == _rawUI.BackgroundColor)
        {
            background = null;
        }

        lock (_consoleLock)
        {
            _progress.ClearLocked();
            TextWriter stdout = Console.Out;
            if (_stdoutColor && (foreground.HasValue || background.HasValue) && value.Length > 0)
            {
                stdout.Write(Ansi(foreground, background) + value.TrimEnd('\n') + "\u001b[0m" + new string('\n', value.Length - value.TrimEnd('\n').Length));
            }
            else
            {
                stdout.Write(value);
            }
        }
    }

    private void WriteErr(string value, ConsoleColor color)
    {
        value = GetOutputString(value, _stderrColor);
        lock (_consoleLock)
        {
            _progress.ClearLocked();
            Console.Out.Flush();
            Console.Error.Write(_stderrColor ? Ansi(color, null) + value + "\u001b[0m\n" : value + "\n");
        }
    }

    private static string Ansi(ConsoleColor? foreground, ConsoleColor? background)
    {
        var sb = new StringBuilder();
        if (foreground is { } fg)
        {
            sb.Append("\u001b[").Append(AnsiCode(fg, background: false)).Append('m');
        }

        if (background is { } bg)
        {
            sb.Append("\u001b[").Append(AnsiCode(bg, background: true)).Append('m');
        }

        return sb.ToString();
    }

    private static int AnsiCode(ConsoleColor color, bool background)
    {
        // ConsoleColor order: Black, DarkBlue, DarkGreen, DarkCyan, DarkRed, DarkMagenta, DarkYellow, Gray,
        // DarkGray, Blue, Green, Cyan, Red, Magenta, Yellow, White. ANSI order is BGR-swapped (red=1, blue=4).
        ReadOnlySpan<int> ansiIndex = [0, 4, 2, 6, 1, 5, 3, 7];
        int c = (int)color;
        int code = (c < 8 ? 30 : 90) + ansiIndex[c % 8];
        return background ? code + 10 : code;
    }
}
