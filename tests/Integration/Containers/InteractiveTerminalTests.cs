using System.Text.RegularExpressions;
using ContainerPS.Tests.Integration.Harness;
using ContainerPS.Tests.Integration.Images;
using Xunit;

namespace ContainerPS.Tests.Integration.Containers;

/// <summary>
/// The interactive cmdlets in a real terminal: cpsh runs in a tmux pane (a private tmux
/// server, killed afterwards) and is driven with keys as a user would, on the session's
/// store with real busybox containers. Checks raw mode (keys reach the container without
/// Enter, nothing echoed twice, Ctrl+C goes to the container), window-size forwarding,
/// detaching with ctrl-p ctrl-q, Enter-Container and Connect-Container, and that the outer
/// shell's terminal settings are the same afterwards.
/// </summary>
[Collection(ImagesCollection.Name)]
public sealed class InteractiveTerminalTests : IClassFixture<ContainerSession>
{
    private const string PsPrompt = "PS ";
    private readonly ContainerSession _s;

    public InteractiveTerminalTests(ContainerSession session) => _s = session;

    [Fact]
    public void Tty_run_enter_and_connect_work_in_a_real_terminal_and_leave_it_as_it_was()
    {
        using var cleanup = _s.Track();
        using var dir = new TempDirectory("cps-tty-");
        using var term = OpenTerminal();

        // A terminal on stdin but stdout redirected is no console for a session either.
        term.TypeLine($"{ShellCommand()} -Command 'Enter-Container any' | cat; echo \"piped-rc=${{PIPESTATUS[0]}}\"");
        var piped = term.WaitFor(s => Regex.IsMatch(s, "piped-rc=[0-9]"), "cpsh with its output piped to exit");
        Assert.Contains("NoConsole", piped);
        Assert.Contains("piped-rc=1", piped);

        // The outer shell's settings before and after cpsh, as the shell itself sees them.
        term.TypeLine($"cd {TmuxTerminal.Quote(dir.Path)}; stty -a > before.txt; {ShellCommand()}; stty -a > after.txt; echo cpsh-done-$((40+2))");
        term.WaitFor(s => s.Contains(PsPrompt), "the cpsh prompt");

        // --- Start-Container -Interactive -Tty --------------------------------------------
        term.TypeLine("Start-Container busybox -Name tty-run -Interactive -Tty sh");
        term.WaitFor(s => s.Contains("/ # "), "the container's shell prompt");
        var raw = Flags(term.Stty());
        foreach (var off in new[] { "-icanon", "-echo", "-isig" }) Assert.Contains(off, raw);

        // Typed once: only the container's terminal echoes (the host's line discipline is off).
        term.TypeLine("echo marker-$((6*7))");
        term.WaitFor(s => s.Contains("marker-42"), "the command's output");
        Assert.Equal(1, term.Count("echo marker-$((6*7))"));

        // The terminal is the container's own (made in it, as runc does): /dev/pts/0 of its
        // devpts, and /dev/console.
        term.TypeLine("echo tty-is-$(tty); test -c /dev/console && echo console-$((2+2))");
        term.WaitFor(s => s.Contains("tty-is-/dev/pts/0") && s.Contains("console-4"), "the container's own terminal and console");

        // A single key reaches the container without Enter.
        term.TypeLine("read -n 1 k; echo; echo key-$k-key");
        term.Type("x");
        term.WaitFor(s => s.Contains("key-x-key"), "a key read without Enter");

        // Ctrl+C goes to the container's foreground process, not to cpsh.
        term.TypeLine("sleep 600");
        Thread.Sleep(500);
        term.Keys("C-c");
        term.TypeLine("echo still-$((1+1))-attached");
        term.WaitFor(s => s.Contains("still-2-attached"), "the shell after Ctrl+C");

        // The container's terminal has the window's size, and follows resizes.
        term.TypeLine("echo size-$(stty size | tr ' ' x)");
        term.WaitFor(s => s.Contains("size-30x100"), "the initial window size");
        term.Resize(90, 25);
        AskUntil(term, "echo size-$(stty size | tr ' ' x)", "size-25x90", "the size after resize-window");

        // ctrl-p ctrl-q detaches; the container runs on; the console is cooked again.
        UntilNewPrompt(term, () => term.Keys("C-p", "C-q"), "the cpsh prompt after detaching");
        Assert.Contains("isig", Flags(term.Stty()));
        term.TypeLine("'state=' + (Get-Container tty-run).State + ' id=' + (Get-Container tty-run).ShortId");
        var screen = term.WaitFor(s => Regex.IsMatch(s, "state=Running id=[0-9a-f]{12}"), "the container still running");
        var shortId = Regex.Match(screen, "state=Running id=([0-9a-f]{12})").Groups[1].Value;

        // --- Enter-Container: a shell inside, exit code to $LASTEXITCODE ------------------
        var shellPrompts = term.Count("/ # ");
        term.TypeLine("Enter-Container tty-run");
        term.WaitFor(s => TmuxTerminal.Occurrences(s, "/ # ") > shellPrompts, "the exec'd shell's prompt");
        Assert.Contains("-icanon", Flags(term.Stty()));
        term.TypeLine("echo exec-tty-is-$(tty)");
        term.WaitFor(s => s.Contains("exec-tty-is-/dev/pts/1"), "the exec's terminal: the next pts of the container's devpts");
        term.TypeLine("echo host-$(hostname)-size-$(stty size | tr ' ' x)");
        term.WaitFor(s => s.Contains($"host-{shortId}-size-25x90"), "the container's hostname and the window size in the exec");
        term.Resize(100, 30);
        AskUntil(term, "echo exec-size-$(stty size | tr ' ' x)", "exec-size-30x100", "the exec's terminal following a resize");
        // Keys typed before the prompt is back would still go to the session, as with docker.
        UntilNewPrompt(term, () => term.TypeLine("exit 3"), "the cpsh prompt after the exec's shell exited");
        term.TypeLine("'code=' + $LASTEXITCODE");
        term.WaitFor(s => s.Contains("code=3"), "Enter-Container's exit code");

        // --- Connect-Container: back to the main shell, detach again ----------------------
        term.TypeLine("Connect-Container tty-run");
        Thread.Sleep(500);
        term.TypeLine("echo attached-$((50+5))");
        term.WaitFor(s => s.Contains("attached-55"), "output through Connect-Container");
        UntilNewPrompt(term, () => term.Keys("C-p", "C-q"), "the cpsh prompt after detaching from Connect-Container");

        // Docker's --detach-keys notation: ctrl-x x detaches.
        term.TypeLine("Connect-Container tty-run -DetachKeys 'ctrl-x,x'");
        Thread.Sleep(500);
        term.TypeLine("echo custom-$((60+6))");
        term.WaitFor(s => s.Contains("custom-66"), "output through Connect-Container -DetachKeys");
        UntilNewPrompt(term, () => term.Keys("C-x", "x"), "the cpsh prompt after ctrl-x x");

        // -Tty without -Interactive: no keys to read, but the window size is still forwarded
        // (as a control request: the attach carries no input).
        term.TypeLine("Start-Container busybox -Tty -AutoRemove -- sh -c 'echo a-$(stty size | tr \" \" x); sleep 4; echo b-$(stty size | tr \" \" x)'");
        term.WaitFor(s => s.Contains("a-30x100"), "the output-only TTY's first size");
        term.Resize(90, 25);
        term.WaitFor(s => s.Contains("b-25x90"), "the output-only TTY following a resize");
        term.Resize(100, 30); // as at the start, for the outer shell's stty -a comparison

        // --- Connect-Container to a container without a TTY: typed lines, Ctrl+D ends input -
        term.TypeLine("Start-Container busybox -Name lines-run -Interactive -Detach -- sh -c 'while read l; do echo got-$l; done; exit 7' | Out-Null; Connect-Container lines-run");
        Thread.Sleep(1000);
        term.TypeLine("hello");
        term.WaitFor(s => s.Contains("got-hello"), "a typed line echoed back by the container");
        UntilNewPrompt(term, () => term.Keys("C-d"), "the cpsh prompt after end of input");
        term.TypeLine("'lines=' + $LASTEXITCODE");
        term.WaitFor(s => s.Contains("lines=7"), "the exit code after end of input");

        term.TypeLine("Remove-Container tty-run, lines-run -Force; exit");
        term.WaitFor(s => s.Contains("cpsh-done-42"), "cpsh to exit");
        Assert.Equal(File.ReadAllText(Path.Combine(dir.Path, "before.txt")), File.ReadAllText(Path.Combine(dir.Path, "after.txt")));
    }

    [Fact]
    public void Without_a_console_sessions_fail_with_NoConsole_at_once_and_attach_streams_lines()
    {
        using var cleanup = _s.Track();
        // The hosted runspace has no console (and the test process's input is redirected).
        _s.RunOk("Start-Container busybox -Name nocon-tty -Tty -Interactive -Detach -- sh | Out-Null; Start-Container busybox -Name nocon-plain -Detach -- sleep 600 | Out-Null");

        var enter = _s.Run("try { Enter-Container nocon-plain; 'not reached' } catch { $_ }");
        var enterError = Assert.IsType<System.Management.Automation.ErrorRecord>(Assert.Single(enter.Output).BaseObject);
        Assert.StartsWith("NoConsole,", enterError.FullyQualifiedErrorId);
        Assert.Equal(System.Management.Automation.ErrorCategory.InvalidOperation, enterError.CategoryInfo.Category);

        var connect = _s.Run("Connect-Container nocon-tty");
        var connectError = Assert.Single(connect.Errors);
        Assert.StartsWith("NoConsole,", connectError.FullyQualifiedErrorId);
        Assert.Null(connect.TerminatingError); // per container, not the end of the command
        Assert.Equal("Running", _s.RunOk("(Get-Container nocon-tty).State.ToString()")[0].BaseObject);

        // cpsh with its standard input and output redirected: the error, exit code 1, no wait.
        var shell = ShellProcess.Run(new[] { "-NoProfile", "-Command", "Enter-Container nocon-plain" },
            new Dictionary<string, string?> { ["CONTAINERPS_ROOT"] = _s.StoreRoot, [TestPaths.ModuleVariable] = _s.ModuleManifest },
            timeout: TimeSpan.FromSeconds(60));
        Assert.Equal(1, shell.ExitCode);
        Assert.Contains("NoConsole", shell.StandardError);

        var badKeys = _s.Run("try { Connect-Container nocon-plain -DetachKeys 'ctrl-P' } catch { $_ }");
        Assert.StartsWith("InvalidDetachKeys,", Assert.IsType<System.Management.Automation.ErrorRecord>(Assert.Single(badKeys.Output).BaseObject).FullyQualifiedErrorId);
        var badRunKeys = _s.Run("try { Start-Container busybox -Interactive -Tty -DetachKeys 'ctrl-p,,' sh } catch { $_ }");
        Assert.StartsWith("InvalidDetachKeys,", Assert.IsType<System.Management.Automation.ErrorRecord>(Assert.Single(badRunKeys.Output).BaseObject).FullyQualifiedErrorId);

        // Without a TTY, attaching needs no console: the output comes as lines, then the exit code.
        var lines = _s.RunOk("""
            Start-Container busybox -Name nocon-lines -Detach -- sh -c 'sleep 3; echo one; echo two >&2; exit 5' | Out-Null
            Connect-Container nocon-lines
            """);
        Assert.Equal(new[] { "one", "two" }, lines.Select(l => (string)l.BaseObject).OrderBy(l => l, StringComparer.Ordinal));
        Assert.Equal("stderr", lines.Single(l => (string)l.BaseObject == "two").Properties["Stream"].Value);
        Assert.Equal(5, _s.LastExitCode);

        var stopped = _s.Run("Connect-Container nocon-lines");
        Assert.StartsWith("ContainerNotRunning,", Assert.Single(stopped.Errors).FullyQualifiedErrorId);
    }

    /// <summary>Does <paramref name="action"/> and waits for one more cpsh prompt than there was.</summary>
    private static void UntilNewPrompt(TmuxTerminal term, Action action, string what)
    {
        var prompts = term.Count(PsPrompt);
        action();
        term.WaitFor(s => TmuxTerminal.Occurrences(s, PsPrompt) > prompts, what);
    }

    /// <summary>
    /// Runs <paramref name="command"/> again every second until <paramref name="expected"/>
    /// shows: a resize travels (SIGWINCH, then the container's terminal) independently of the
    /// keys typed after it.
    /// </summary>
    private static void AskUntil(TmuxTerminal term, string command, string expected, string what)
    {
        var deadline = DateTime.UtcNow + TmuxTerminal.DefaultWait;
        while (true)
        {
            term.TypeLine(command);
            try
            {
                term.WaitFor(s => s.Contains(expected), what, TimeSpan.FromSeconds(1));
                return;
            }
            catch (Xunit.Sdk.XunitException) when (DateTime.UtcNow < deadline)
            {
            }
        }
    }

    private TmuxTerminal OpenTerminal()
    {
        var env = new Dictionary<string, string>
        {
            ["CONTAINERPS_ROOT"] = _s.StoreRoot,
            [TestPaths.ModuleVariable] = _s.ModuleManifest,
            ["PATH"] = Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin",
        };
        foreach (var name in new[] { "CONTAINERPS_SHIM", "DOTNET_ROOT" })
            if (Environment.GetEnvironmentVariable(name) is { Length: > 0 } value) env[name] = value;
        return new TmuxTerminal(100, 30, env);
    }

    /// <summary>cpsh -NoProfile, quoted for bash.</summary>
    private static string ShellCommand()
    {
        var (file, prefix) = TestPaths.FindShell();
        return string.Join(' ', new[] { file }.Concat(prefix).Concat(new[] { "-NoProfile" }).Select(TmuxTerminal.Quote));
    }

    private static HashSet<string> Flags(string stty) =>
        stty.Split(new[] { ' ', '\n', ';' }, StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);
}
