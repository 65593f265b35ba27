using System.Text;
using System.Text.Json;

namespace ContainerPS.Monitor;

/// <summary>
/// Docker's json-file log driver: one JSON object per line of output,
/// {"log":"text\n","stream":"stdout","time":"2006-01-02T15:04:05.999999999Z"}. Partial lines
/// are held back until their newline (or 16 KiB, as Docker splits long lines), per stream.
/// </summary>
public sealed class JsonFileLog : IDisposable
{
    private const int MaxLine = 16 * 1024;
    private readonly FileStream _file;
    private readonly object _gate = new();
    private readonly Dictionary<string, MemoryStream> _partial = new() { ["stdout"] = new(), ["stderr"] = new() };

    public JsonFileLog(string path)
    {
        _file = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete, 1);
    }

    public void Write(string stream, ReadOnlySpan<byte> data)
    {
        lock (_gate)
        {
            var pending = _partial[stream];
            while (data.Length > 0)
            {
                var nl = data.IndexOf((byte)'\n');
                var take = nl >= 0 ? nl + 1 : data.Length;
                if (pending.Length + take > MaxLine && nl < 0) take = Math.Max(1, MaxLine - (int)pending.Length);
                pending.Write(data[..take]);
                data = data[take..];
                if (nl >= 0 && take == nl + 1 || pending.Length >= MaxLine) Emit(stream, pending);
            }
        }
    }

    /// <summary>Writes out partial lines (the container exited without a final newline).</summary>
    public void Flush()
    {
        lock (_gate)
        {
            foreach (var (stream, pending) in _partial)
                if (pending.Length > 0) Emit(stream, pending);
        }
    }

    private void Emit(string stream, MemoryStream pending)
    {
        using var line = new MemoryStream();
        using (var w = new Utf8JsonWriter(line))
        {
            w.WriteStartObject();
            w.WriteString("log", Encoding.UTF8.GetString(pending.GetBuffer(), 0, (int)pending.Length));
            w.WriteString("stream", stream);
            w.WriteString("time", FormatTime(DateTimeOffset.UtcNow));
            w.WriteEndObject();
        }
        line.WriteByte((byte)'\n');
        _file.Write(line.GetBuffer(), 0, (int)line.Length);
        pending.SetLength(0);
    }

    /// <summary>RFC 3339 with nanosecond precision and trailing zeros trimmed, as Go's RFC3339Nano.</summary>
    public static string FormatTime(DateTimeOffset t) =>
        t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF", System.Globalization.CultureInfo.InvariantCulture) + "Z";

    public void Dispose()
    {
        Flush();
        _file.Dispose();
    }
}
