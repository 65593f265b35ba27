using System.Text;

namespace ContainerPS.Shell.Commands;

/// <summary>A TextWriter that hands each completed line to a callback (used by Out-String).</summary>
internal sealed class LineCallbackWriter : TextWriter
{
    private readonly Action<string> _onLine;
    private readonly StringBuilder _pending = new();

    public LineCallbackWriter(Action<string> onLine)
    {
        _onLine = onLine;
        NewLine = "\n";
    }

    public override Encoding Encoding => Encoding.UTF8;

    public override void Write(char value)
    {
        if (value == '\n')
        {
            EmitPending();
        }
        else if (value != '\r')
        {
            _pending.Append(value);
        }
    }

    public override void Write(string? value)
    {
        if (value is null)
        {
            return;
        }

        foreach (char c in value)
        {
            Write(c);
        }
    }

    public override void WriteLine(string? value)
    {
        Write(value);
        EmitPending();
    }

    public override void Flush()
    {
        if (_pending.Length > 0)
        {
            EmitPending();
        }
    }

    private void EmitPending()
    {
        string line = _pending.ToString();
        _pending.Clear();
        _onLine(line);
    }
}
