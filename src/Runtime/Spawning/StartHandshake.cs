using System.Text;

namespace ContainerPS.Runtime.Spawning;

/// <summary>
/// The parent side of the start protocol (runc's sync pipes), shared by the monitor's init
/// and the engine's exec: one byte on the "go" pipe releases the child; then its
/// close-on-exec error pipe says how it went — EOF when the entrypoint was exec'ed, else
/// "&lt;exit code&gt; &lt;message&gt;" (e.g. "127 exec: \"x\": executable file not found in $PATH").
/// Both streams are consumed and disposed.
/// </summary>
public static class StartHandshake
{
    /// <param name="afterGo">Run between the go byte and the read of the verdict: the parent's own work overlaps the child's (and a console socket's master is received there).</param>
    /// <param name="size">A terminal size for the child to set before it execs (the go byte carries it).</param>
    public static (bool Ok, int ExitCode, string? Error) Release(Stream go, Stream errors, int defaultExitCode, Action? afterGo = null, (int Rows, int Cols)? size = null)
    {
        try
        {
            if (size is { } s) go.Write([1, (byte)(s.Rows >> 8), (byte)s.Rows, (byte)(s.Cols >> 8), (byte)s.Cols]);
            else go.WriteByte(1);
            go.Flush();
        }
        catch (IOException)
        {
            // The child died before reading: its error (if any) is on the error pipe.
        }
        go.Dispose();
        afterGo?.Invoke();
        string message;
        using (var reader = new StreamReader(errors, Encoding.UTF8)) message = reader.ReadToEnd();
        if (message.Length == 0) return (true, 0, null);
        var space = message.IndexOf(' ');
        if (space > 0 && int.TryParse(message.AsSpan(0, space), out var code)) return (false, code, message[(space + 1)..].Trim());
        return (false, defaultExitCode, message.Trim());
    }
}
