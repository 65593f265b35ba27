using System.Diagnostics;
using System.Text;

namespace ContainerPS.Tests.Integration.Harness;

/// <summary>
/// A real terminal for interactive tests: a detached tmux session on a private server
/// (<c>tmux -S &lt;socket in a temp directory of its own&gt;</c>, no configuration file)
/// running bash, driven with send-keys and read with capture-pane. Disposing kills that
/// server only — never another tmux — with every process still in the pane, and deletes
/// the socket (tmux -L would leave one behind in /tmp/tmux-UID for every test run).
/// </summary>
public sealed class TmuxTerminal : IDisposable
{
    public static readonly TimeSpan DefaultWait = TimeSpan.FromSeconds(30);
    private const string Target = "t";
    private readonly string _tmux;
    private readonly TempDirectory _dir;
    private readonly string _socket;

    /// <summary>
    /// Starts bash (no rc files, prompt "outer$ ") in a <paramref name="columns"/> ×
    /// <paramref name="rows"/> window with <paramref name="environment"/> added.
    /// </summary>
    public TmuxTerminal(int columns, int rows, IReadOnlyDictionary<string, string> environment)
    {
        _tmux = Find("tmux") ?? throw new InvalidOperationException("tmux is not installed: run scripts/setup.sh (apt-get install tmux).");
        _dir = new TempDirectory("cps-tmux-");
        _socket = System.IO.Path.Combine(_dir.Path, "socket");
        var env = new StringBuilder("env");
        foreach (var (name, value) in environment) env.Append(' ').Append(Quote($"{name}={value}"));
        env.Append(" PS1='outer$ ' TERM=xterm bash --norc --noprofile +o history");
        Tmux("-f", "/dev/null", "new-session", "-d", "-s", Target, "-x", columns.ToString(), "-y", rows.ToString(), env.ToString());
        try
        {
            // A manual size, so resize-window changes it (there is no client to follow).
            Tmux("set-option", "-t", Target, "window-size", "manual");
            WaitFor(s => s.Contains("outer$ "), "the bash prompt");
            PaneTty = Tmux("display-message", "-p", "-t", Target, "#{pane_tty}").Trim();
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>The pane's terminal device (/dev/pts/N), for stty -F.</summary>
    public string PaneTty { get; } = "";

    /// <summary>Types <paramref name="text"/> literally, then Enter.</summary>
    public void TypeLine(string text)
    {
        Type(text);
        Keys("Enter");
    }

    /// <summary>Types <paramref name="text"/> literally (no Enter).</summary>
    public void Type(string text) => Tmux("send-keys", "-t", Target, "-l", text);

    /// <summary>Sends tmux key names: "Enter", "C-p", "C-c"...</summary>
    public void Keys(params string[] keys) => Tmux(new[] { "send-keys", "-t", Target }.Concat(keys).ToArray());

    /// <summary>The screen and its scrollback, lines joined as they wrap.</summary>
    public string Screen() => Tmux("capture-pane", "-p", "-J", "-S", "-2000", "-t", Target);

    /// <summary>Resizes the window (the pane follows; the foreground process gets SIGWINCH).</summary>
    public void Resize(int columns, int rows) =>
        Tmux("resize-window", "-t", Target, "-x", columns.ToString(), "-y", rows.ToString());

    /// <summary>The pane terminal's settings now (stty -a).</summary>
    public string Stty() => Run("stty", "-a", "-F", PaneTty);

    /// <summary>Polls the screen until <paramref name="done"/> holds; fails with the screen after <see cref="DefaultWait"/>.</summary>
    public string WaitFor(Func<string, bool> done, string what, TimeSpan? timeout = null)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            var screen = Screen();
            if (done(screen)) return screen;
            if (watch.Elapsed > (timeout ?? DefaultWait))
                throw new Xunit.Sdk.XunitException($"waited {watch.Elapsed.TotalSeconds:0} s for {what}; the terminal shows:\n{screen}");
            Thread.Sleep(100);
        }
    }

    /// <summary>How many times <paramref name="text"/> is on the screen (and in its scrollback).</summary>
    public int Count(string text) => Occurrences(Screen(), text);

    public static int Occurrences(string screen, string text)
    {
        var n = 0;
        for (var i = screen.IndexOf(text, StringComparison.Ordinal); i >= 0; i = screen.IndexOf(text, i + text.Length, StringComparison.Ordinal)) n++;
        return n;
    }

    public void Dispose()
    {
        try
        {
            Run(_tmux, "-S", _socket, "kill-server");
        }
        catch (InvalidOperationException)
        {
            // already gone
        }
        _dir.Dispose();
    }

    private string Tmux(params string[] args) => Run(_tmux, new[] { "-S", _socket }.Concat(args).ToArray());

    private static string Run(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        p.StandardInput.Close();
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(30_000))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', args)} did not finish in 30 s");
        }
        if (p.ExitCode != 0) throw new InvalidOperationException($"{file} {string.Join(' ', args)} exited {p.ExitCode}: {stderr.Result}");
        return stdout.Result;
    }

    private static string? Find(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin").Split(':')
            .Select(d => System.IO.Path.Combine(d, name)).FirstOrDefault(File.Exists);

    /// <summary>Single-quotes for the shell tmux runs the command with.</summary>
    public static string Quote(string s) => "'" + s.Replace("'", "'\\''") + "'";
}
