using System.Text;

namespace ContainerPS.Module.Containers;

/// <summary>
/// Cuts one output stream's chunks (as the container wrote them, split anywhere, even inside a
/// UTF-8 sequence) into lines without their "\n" / "\r\n"; the last, unterminated line comes
/// from <see cref="Flush"/>. Not thread-safe: one per stream, fed from one thread.
/// </summary>
internal sealed class LineSplitter
{
    private readonly Decoder _decoder = new UTF8Encoding(false).GetDecoder();
    private readonly StringBuilder _pending = new();
    private char[] _chars = new char[1024];

    /// <summary>The lines <paramref name="chunk"/> completes.</summary>
    public List<string> Feed(ReadOnlySpan<byte> chunk)
    {
        var needed = _decoder.GetCharCount(chunk, flush: false);
        if (_chars.Length < needed) _chars = new char[Math.Max(needed, _chars.Length * 2)];
        var count = _decoder.GetChars(chunk, _chars, flush: false);
        var lines = new List<string>();
        var start = 0;
        for (var i = 0; i < count; i++)
        {
            if (_chars[i] != '\n') continue;
            _pending.Append(_chars, start, i - start);
            lines.Add(TakeLine());
            start = i + 1;
        }
        _pending.Append(_chars, start, count - start);
        return lines;
    }

    /// <summary>The unterminated last line, if the stream ended without a newline.</summary>
    public string? Flush()
    {
        var count = _decoder.GetChars(ReadOnlySpan<byte>.Empty, _chars, flush: true);
        _pending.Append(_chars, 0, count);
        return _pending.Length == 0 ? null : TakeLine();
    }

    private string TakeLine()
    {
        if (_pending.Length > 0 && _pending[^1] == '\r') _pending.Length--;
        var line = _pending.ToString();
        _pending.Clear();
        return line;
    }
}
