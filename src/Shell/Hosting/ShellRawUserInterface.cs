using System.Management.Automation.Host;

namespace ContainerPS.Shell.Hosting;

/// <summary>
/// The raw console surface of the cpsh host. Only what the formatter, Out-Default and
/// prompts need is real (sizes, colours, ReadKey); buffer manipulation is not supported.
/// </summary>
internal sealed class ShellRawUserInterface : PSHostRawUserInterface
{
    /// <summary>Width used when stdout is not a terminal (pwsh also formats to a fixed width then).</summary>
    private const int RedirectedWidth = 120;

    private ConsoleColor _foreground = ConsoleColor.Gray;
    private ConsoleColor _background = ConsoleColor.Black;
    private string _title = "cpsh";

    public static bool StdoutIsTerminal => !Console.IsOutputRedirected;

    public override ConsoleColor ForegroundColor
    {
        get => _foreground;
        set => _foreground = value;
    }

    public override ConsoleColor BackgroundColor
    {
        get => _background;
        set => _background = value;
    }

    public override Coordinates CursorPosition
    {
        get => TryConsole(() => new Coordinates(Console.CursorLeft, Console.CursorTop), new Coordinates(0, 0));
        set => TryConsole(() => { Console.SetCursorPosition(value.X, value.Y); return 0; }, 0);
    }

    public override Coordinates WindowPosition
    {
        get => new(0, 0);
        set { }
    }

    public override int CursorSize
    {
        get => 25;
        set { }
    }

    public override Size BufferSize
    {
        get => new(Width, int.MaxValue / 2);
        set => throw new NotSupportedException("cpsh cannot resize the console buffer.");
    }

    public override Size WindowSize
    {
        get => new(Width, Height);
        set => throw new NotSupportedException("cpsh cannot resize the console window.");
    }

    public override Size MaxWindowSize => WindowSize;

    public override Size MaxPhysicalWindowSize => WindowSize;

    public override bool KeyAvailable => !Console.IsInputRedirected && Console.KeyAvailable;

    public override string WindowTitle
    {
        get => _title;
        set => _title = value ?? string.Empty;
    }

    /// <summary>Columns available for formatting: the terminal width, else $COLUMNS, else 120.</summary>
    public static int Width
    {
        get
        {
            if (StdoutIsTerminal)
            {
                int width = TryConsole(() => Console.WindowWidth, 0);
                if (width > 0)
                {
                    return width;
                }
            }

            return int.TryParse(Environment.GetEnvironmentVariable("COLUMNS"), out int columns) && columns > 0
                ? columns
                : RedirectedWidth;
        }
    }

    private static int Height
    {
        get
        {
            int height = StdoutIsTerminal ? TryConsole(() => Console.WindowHeight, 0) : 0;
            return height > 0 ? height : 50;
        }
    }

    public override KeyInfo ReadKey(ReadKeyOptions options)
    {
        if (Console.IsInputRedirected)
        {
            int ch = Console.In.Read();
            if (ch < 0)
            {
                throw new PromptingException("cpsh: end of input while waiting for a key.");
            }

            return new KeyInfo(0, (char)ch, 0, keyDown: true);
        }

        bool echo = (options & ReadKeyOptions.NoEcho) == 0;
        ConsoleKeyInfo key = Console.ReadKey(intercept: !echo);
        return new KeyInfo((int)key.Key, key.KeyChar, ToControlKeyStates(key.Modifiers), keyDown: true);
    }

    public override void FlushInputBuffer()
    {
        if (Console.IsInputRedirected)
        {
            return;
        }

        while (Console.KeyAvailable)
        {
            Console.ReadKey(intercept: true);
        }
    }

    public override void SetBufferContents(Coordinates origin, BufferCell[,] contents) =>
        throw new NotSupportedException("cpsh does not support direct console buffer access.");

    public override void SetBufferContents(Rectangle rectangle, BufferCell fill) =>
        throw new NotSupportedException("cpsh does not support direct console buffer access.");

    public override BufferCell[,] GetBufferContents(Rectangle rectangle) =>
        throw new NotSupportedException("cpsh does not support direct console buffer access.");

    public override void ScrollBufferContents(Rectangle source, Coordinates destination, Rectangle clip, BufferCell fill) =>
        throw new NotSupportedException("cpsh does not support direct console buffer access.");

    private static ControlKeyStates ToControlKeyStates(ConsoleModifiers modifiers)
    {
        ControlKeyStates states = 0;
        if ((modifiers & ConsoleModifiers.Alt) != 0)
        {
            states |= ControlKeyStates.LeftAltPressed;
        }

        if ((modifiers & ConsoleModifiers.Control) != 0)
        {
            states |= ControlKeyStates.LeftCtrlPressed;
        }

        if ((modifiers & ConsoleModifiers.Shift) != 0)
        {
            states |= ControlKeyStates.ShiftPressed;
        }

        return states;
    }

    private static T TryConsole<T>(Func<T> query, T fallback)
    {
        try
        {
            return query();
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or PlatformNotSupportedException or ArgumentOutOfRangeException)
        {
            return fallback;
        }
    }
}
