namespace ContainerPS.Shell;

/// <summary>
/// cpsh's command line, a subset of pwsh's: <c>-Command</c>/<c>-c</c>, <c>-File</c>/<c>-f</c> or a
/// bare script path, <c>-Version</c>, <c>-Help</c>; <c>-NoProfile</c>, <c>-NoLogo</c>,
/// <c>-NonInteractive</c> and <c>-ExecutionPolicy x</c> are accepted and ignored. Parameter
/// names are case-insensitive and may be abbreviated, as in pwsh.
/// </summary>
internal sealed class ShellOptions
{
    private ShellOptions(ShellMode mode)
    {
        Mode = mode;
    }

    public ShellMode Mode { get; private init; }

    /// <summary>Script text for <see cref="ShellMode.Command"/>.</summary>
    public string Command { get; private init; } = string.Empty;

    /// <summary>Script path for <see cref="ShellMode.File"/>.</summary>
    public string File { get; private init; } = string.Empty;

    /// <summary>Arguments after the script path, bound to the script's parameters / $args.</summary>
    public IReadOnlyList<string> FileArguments { get; private init; } = Array.Empty<string>();

    public const string Usage = """
        Usage: cpsh [-NoProfile] [-Command] <script> [args...]
               cpsh [-NoProfile] [-File] <script.ps1> [args...]
               cpsh                       interactive prompt (or reads a script from redirected stdin)
               cpsh -Command -            reads the script from stdin
               cpsh -Version

        cpsh is the PowerShell host bundled with ContainerPS; it pre-imports the ContainerPS
        module (CONTAINERPS_MODULE=<path to .psd1> overrides where it is found; set it to an
        empty value to start without it).
        """;

    /// <summary>Parses <paramref name="args"/>; on failure returns null and sets <paramref name="error"/>.</summary>
    public static ShellOptions? Parse(IReadOnlyList<string> args, out string? error)
    {
        error = null;
        bool interactive = !Console.IsInputRedirected;
        for (int i = 0; i < args.Count; i++)
        {
            string arg = args[i];
            if (arg == "-")
            {
                return new ShellOptions(ShellMode.StandardInput);
            }

            if (arg.Length < 2 || arg[0] != '-')
            {
                return new ShellOptions(ShellMode.File) { File = arg, FileArguments = args.Skip(i + 1).ToArray() };
            }

            string name = arg.TrimStart('-');
            if (Is(name, "command", 1))
            {
                if (i + 1 >= args.Count)
                {
                    error = "Missing the argument of -Command.";
                    return null;
                }

                if (args[i + 1] == "-")
                {
                    return new ShellOptions(ShellMode.StandardInput);
                }

                return new ShellOptions(ShellMode.Command) { Command = string.Join(' ', args.Skip(i + 1)) };
            }

            if (Is(name, "file", 1))
            {
                if (i + 1 >= args.Count)
                {
                    error = "Missing the argument of -File.";
                    return null;
                }

                if (args[i + 1] == "-")
                {
                    return new ShellOptions(ShellMode.StandardInput);
                }

                return new ShellOptions(ShellMode.File) { File = args[i + 1], FileArguments = args.Skip(i + 2).ToArray() };
            }

            if (Is(name, "version", 1))
            {
                return new ShellOptions(ShellMode.Version);
            }

            if (Is(name, "help", 1) || name == "?")
            {
                return new ShellOptions(ShellMode.Help);
            }

            if (Is(name, "executionpolicy", 2) || name.Equals("ep", StringComparison.OrdinalIgnoreCase))
            {
                i++; // value ignored: there is no execution policy on Unix
                continue;
            }

            if (Is(name, "noprofile", 3) || Is(name, "nologo", 3) || Is(name, "noninteractive", 4))
            {
                continue;
            }

            error = $"Unknown parameter '{arg}'.";
            return null;
        }

        return new ShellOptions(interactive ? ShellMode.Interactive : ShellMode.StandardInput);
    }

    /// <summary>True when <paramref name="given"/> is <paramref name="full"/> or an abbreviation of at least <paramref name="minimum"/> characters.</summary>
    private static bool Is(string given, string full, int minimum) =>
        given.Length >= minimum && full.StartsWith(given, StringComparison.OrdinalIgnoreCase);
}
