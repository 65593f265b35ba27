using System.Diagnostics;
using System.Management.Automation;
using System.Text;

namespace ContainerPS.Shell.Hosting;

/// <summary>
/// Renders Write-Progress as one self-overwriting line on stderr, and only when stderr is
/// a terminal: with stderr redirected (scripts, CI, tests) progress is dropped, as pwsh
/// does. The line shows the most recently updated activity that is still running.
/// </summary>
internal sealed class ProgressRenderer
{
    private static readonly long RedrawInterval = Stopwatch.Frequency / 20; // 50 ms

    private readonly object _lock;
    private readonly bool _enabled;
    private readonly List<(long Source, int Id, ProgressRecord Record)> _active = new();
    private bool _lineVisible;
    private long _lastDraw;

    public ProgressRenderer(object consoleLock)
    {
        _lock = consoleLock;
        _enabled = !Console.IsErrorRedirected
            && !string.Equals(Environment.GetEnvironmentVariable("TERM"), "dumb", StringComparison.Ordinal);
    }

    public void Update(long sourceId, ProgressRecord record)
    {
        if (!_enabled)
        {
            return;
        }

        lock (_lock)
        {
            _active.RemoveAll(a => a.Source == sourceId && a.Id == record.ActivityId);
            if (record.RecordType == ProgressRecordType.Completed)
            {
                // Completing a parent completes its children too.
                _active.RemoveAll(a => a.Source == sourceId && a.Record.ParentActivityId == record.ActivityId);
            }
            else
            {
                _active.Add((sourceId, record.ActivityId, record));
            }

            long now = Stopwatch.GetTimestamp();
            if (_active.Count == 0)
            {
                ClearLocked();
            }
            else if (now - _lastDraw >= RedrawInterval || record.RecordType == ProgressRecordType.Completed)
            {
                _lastDraw = now;
                DrawLocked(_active[^1].Record);
            }
        }
    }

    /// <summary>Erases the progress line; the caller holds the console lock.</summary>
    public void ClearLocked()
    {
        if (_lineVisible)
        {
            Console.Error.Write("\r\u001b[K");
            _lineVisible = false;
        }
    }

    private void DrawLocked(ProgressRecord record)
    {
        int width = Math.Max(20, ShellRawUserInterface.Width - 1);
        var line = new StringBuilder();
        line.Append(record.Activity);
        if (!string.IsNullOrEmpty(record.StatusDescription))
        {
            line.Append(": ").Append(record.StatusDescription);
        }

        if (record.PercentComplete >= 0)
        {
            int filled = Math.Clamp(record.PercentComplete, 0, 100) / 5;
            line.Append(" [").Append('#', filled).Append(' ', 20 - filled).Append("] ")
                .Append(Math.Clamp(record.PercentComplete, 0, 100)).Append('%');
        }

        if (record.SecondsRemaining >= 0)
        {
            line.Append(' ').Append(TimeSpan.FromSeconds(record.SecondsRemaining).ToString("c")).Append(" left");
        }

        if (!string.IsNullOrEmpty(record.CurrentOperation))
        {
            line.Append("  ").Append(record.CurrentOperation);
        }

        string text = line.Length > width ? line.ToString(0, width) : line.ToString();
        Console.Error.Write("\r\u001b[K\u001b[7m" + text + "\u001b[0m");
        _lineVisible = true;
    }
}
