using ContainerPS.Runtime.Terminal;
using ContainerPS.Tests.Unit.Support;

namespace ContainerPS.Tests.Unit.Terminal;

/// <summary>
/// Raw and line mode and window-size watching on a real pseudo-terminal (the same calls the
/// cmdlets make on the console), read back with stty; the termios layout and ioctl numbers
/// are checked against the C headers.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class TerminalTests
{
    [Fact]
    public void Termios_layout_flags_and_ioctls_match_the_c_headers()
    {
        var gcc = Tool.Require("gcc");
        var dir = Directory.CreateTempSubdirectory("cps-tty-hdr-").FullName;
        try
        {
            var source = Path.Combine(dir, "c.c");
            File.WriteAllText(source, """
                #include <stddef.h>
                #include <stdio.h>
                #include <termios.h>
                #include <sys/ioctl.h>
                int main(void) {
                  printf("sizeof_termios=%zu\nc_iflag=%zu\nc_oflag=%zu\nc_lflag=%zu\n", sizeof(struct termios), offsetof(struct termios, c_iflag), offsetof(struct termios, c_oflag), offsetof(struct termios, c_lflag));
                  printf("ICRNL=%ld\nOPOST=%ld\nONLCR=%ld\nISIG=%ld\nICANON=%ld\nECHO=%ld\nECHOE=%ld\nECHOK=%ld\nECHOCTL=%ld\nECHOKE=%ld\nIEXTEN=%ld\n",
                    (long)ICRNL, (long)OPOST, (long)ONLCR, (long)ISIG, (long)ICANON, (long)ECHO, (long)ECHOE, (long)ECHOK, (long)ECHOCTL, (long)ECHOKE, (long)IEXTEN);
                  printf("TIOCGWINSZ=%ld\nTIOCSWINSZ=%ld\nTIOCSCTTY=%ld\nsizeof_winsize=%zu\n", (long)TIOCGWINSZ, (long)TIOCSWINSZ, (long)TIOCSCTTY, sizeof(struct winsize));
                  return 0;
                }
                """);
            Tool.Check(gcc, "-Wall", "-Werror", "-o", Path.Combine(dir, "c"), source);
            var c = Tool.Check(Path.Combine(dir, "c")).Split('\n', StringSplitOptions.RemoveEmptyEntries)
                .Select(l => l.Split('=')).ToDictionary(p => p[0], p => long.Parse(p[1]));

            var expected = new (string Name, long Value)[]
            {
                ("sizeof_termios", RawTerminal.TermiosSize),
                ("c_iflag", RawTerminal.IFlag),
                ("c_oflag", RawTerminal.OFlag),
                ("c_lflag", RawTerminal.LFlag),
                ("ICRNL", RawTerminal.ICRNL),
                ("OPOST", RawTerminal.OPOST),
                ("ONLCR", RawTerminal.ONLCR),
                ("ISIG", RawTerminal.ISIG),
                ("ICANON", RawTerminal.ICANON),
                ("ECHO", RawTerminal.ECHO),
                ("ECHOE", RawTerminal.ECHOE),
                ("ECHOK", RawTerminal.ECHOK),
                ("ECHOCTL", RawTerminal.ECHOCTL),
                ("ECHOKE", RawTerminal.ECHOKE),
                ("IEXTEN", RawTerminal.IEXTEN),
                ("TIOCGWINSZ", (long)PtyNative.TIOCGWINSZ),
                ("TIOCSWINSZ", (long)PtyNative.TIOCSWINSZ),
                ("TIOCSCTTY", (long)PtyNative.TIOCSCTTY),
                ("sizeof_winsize", System.Runtime.InteropServices.Marshal.SizeOf<PtyNative.WinSize>()),
            };
            Assert.Empty(expected.Where(e => c[e.Name] != e.Value).Select(e => $"{e.Name}: C {c[e.Name]}, C# {e.Value}"));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Raw_mode_turns_off_echo_line_editing_and_signal_keys_and_dispose_restores_every_setting()
    {
        using var pty = Pty.Open();
        var before = Stty(pty);
        Assert.Contains("icanon", Flags(before)); // a new pty starts cooked

        var raw = RawTerminal.Enter(pty.Slave);
        var during = Flags(Stty(pty));
        foreach (var off in new[] { "-icanon", "-echo", "-isig", "-opost", "-icrnl", "-iexten" }) Assert.Contains(off, during);

        raw.Dispose();
        Assert.Equal(before, Stty(pty));
        raw.Dispose(); // twice is harmless
        Assert.Equal(before, Stty(pty));
    }

    [Fact]
    public void Line_mode_restores_editing_and_echo_on_a_terminal_in_character_mode_and_dispose_puts_that_back()
    {
        using var pty = Pty.Open();
        using var host = RawTerminal.Enter(pty.Slave); // as a console host keeps it while commands run
        var hostMode = Stty(pty);

        var lines = RawTerminal.EnterLineMode(pty.Slave);
        var during = Flags(Stty(pty));
        foreach (var on in new[] { "icanon", "echo", "isig", "icrnl", "opost", "onlcr" }) Assert.Contains(on, during);

        lines.Dispose();
        Assert.Equal(hostMode, Stty(pty));
    }

    [Fact]
    public void Window_size_changes_are_reported_on_SIGWINCH_once_per_new_size()
    {
        using var pty = Pty.Open();
        Pty.Resize(pty.Master, 24, 80);
        var seen = new System.Collections.Concurrent.BlockingCollection<(int, int)>();
        using var watcher = new WindowSizeWatcher(pty.Slave, size => seen.Add(size));
        Assert.True(watcher.UsesSignal, "SIGWINCH should come through PosixSignalRegistration on Linux");
        Assert.Equal((24, 80), watcher.Current);

        Pty.Resize(pty.Master, 40, 132);
        Winch();
        Assert.True(seen.TryTake(out var size, TimeSpan.FromSeconds(10)), "no size reported after SIGWINCH");
        Assert.Equal((40, 132), size);

        Winch(); // same size: nothing to report
        Pty.Resize(pty.Master, 30, 100);
        Winch();
        Assert.True(seen.TryTake(out size, TimeSpan.FromSeconds(10)));
        Assert.Equal((30, 100), size);
        Assert.False(seen.TryTake(out _, TimeSpan.FromMilliseconds(300)));

        watcher.Dispose();
        Pty.Resize(pty.Master, 50, 60);
        Winch();
        Assert.False(seen.TryTake(out _, TimeSpan.FromMilliseconds(300)), "reported after Dispose");
    }

    // The terminal driver sends SIGWINCH to the terminal's foreground process group; the test
    // process has no controlling terminal, so it sends the signal to itself as the driver would.
    private static void Winch() => Tool.Check("kill", "-WINCH", Environment.ProcessId.ToString());

    private static string Stty(Pty pty) => Tool.Check("stty", "-a", "-F", pty.SlavePath);

    private static HashSet<string> Flags(string stty) =>
        stty.Split(new[] { ' ', '\n', ';' }, StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);
}
