using System.Diagnostics;
using System.Management.Automation;
using ContainerPS.Engine.Progress;

namespace ContainerPS.Module.Infrastructure;

/// <summary>
/// Maps engine <see cref="ProgressReport"/>s onto Write-Progress: one parent activity for
/// the command and one child activity per report Id (layer, step) beneath it. The engine
/// reports the whole operation under an Id without a ParentId ("load:x.tar"); that Id is
/// the parent activity itself, and reports naming it as ParentId become its children.
/// Runs on the pipeline thread only.
/// </summary>
internal sealed class ProgressWriter
{
    private const int RootActivityId = 1;
    private static readonly TimeSpan MinInterval = TimeSpan.FromMilliseconds(150);

    private readonly Cmdlet _cmdlet;
    private readonly Activity _root;
    private readonly Dictionary<string, Activity> _activities = new(StringComparer.Ordinal);
    private int _nextId = RootActivityId + 1;

    public ProgressWriter(Cmdlet cmdlet, string activity)
    {
        _cmdlet = cmdlet;
        _root = new Activity(new ProgressRecord(RootActivityId, NonEmpty(activity), "Starting"));
    }

    public void Write(ProgressReport report)
    {
        if (IsRoot(report))
        {
            // The operation's own report: its status and percentage go on the parent bar.
            if (report.Completed) return; // closed by Complete(), after the children
            ShowRoot(report.Status, report.Percent);
            return;
        }

        var activity = ChildFor(report.Id, report.ParentId);
        var record = activity.Record;
        record.Activity = NonEmpty(report.Activity);
        record.StatusDescription = NonEmpty(report.Status);
        record.PercentComplete = report.Completed ? 100 : report.Percent ?? -1;

        if (report.Completed)
        {
            activity.Done = true;
            if (!activity.Shown) return; // finished before it was ever shown: nothing to clear
            _cmdlet.WriteProgress(activity.Snapshot(ProgressRecordType.Completed));
            ShowRoot(null, null);
            return;
        }

        var changed = record.StatusDescription != activity.LastStatus || record.PercentComplete != activity.LastPercent;
        if (activity.Shown && (!changed || activity.Clock.Elapsed < MinInterval)) return;

        if (!_root.Shown) ShowRoot(null, null);
        _cmdlet.WriteProgress(activity.Snapshot(ProgressRecordType.Processing));
        activity.Shown = true;
        activity.LastStatus = record.StatusDescription;
        activity.LastPercent = record.PercentComplete;
        activity.Clock.Restart();
    }

    /// <summary>Completes every open child and then the parent, so no bar is left behind.</summary>
    public void Complete()
    {
        foreach (var activity in _activities.Values)
        {
            if (activity == _root || !activity.Shown || activity.Done) continue;
            _cmdlet.WriteProgress(activity.Snapshot(ProgressRecordType.Completed));
            activity.Done = true;
        }

        if (_root.Shown)
        {
            _cmdlet.WriteProgress(_root.Snapshot(ProgressRecordType.Completed));
            _root.Shown = false;
        }
    }

    private bool IsRoot(ProgressReport report)
    {
        if (_activities.TryGetValue(report.Id, out var known)) return known == _root;
        if (report.ParentId is not null || _activities.ContainsValue(_root)) return false;
        _activities.Add(report.Id, _root); // the first top-level Id is the operation
        return true;
    }

    private void ShowRoot(string? status, int? percent)
    {
        var children = _activities.Values.Where(a => a != _root).ToList();
        var done = children.Count(a => a.Done);
        var record = _root.Record;
        if (status is not null) _root.LastStatus = status;
        var text = _root.LastStatus ?? "Working";
        record.StatusDescription = NonEmpty(children.Count > 1 ? $"{text} ({done} of {children.Count} done)" : text);
        record.PercentComplete = percent ?? (children.Count > 1 ? done * 100 / children.Count : -1);
        if (_root.Shown && _root.Clock.Elapsed < MinInterval && percent is null && status is null) return;
        _cmdlet.WriteProgress(_root.Snapshot(ProgressRecordType.Processing));
        _root.Shown = true;
        _root.Clock.Restart();
    }

    private Activity ChildFor(string id, string? parentId)
    {
        if (_activities.TryGetValue(id, out var activity)) return activity;
        var parent = parentId is not null && _activities.TryGetValue(parentId, out var p) ? p : _root;
        if (parentId is not null && parent == _root && !_activities.ContainsKey(parentId) && !_activities.ContainsValue(_root))
            _activities.Add(parentId, _root); // children announced before their operation
        activity = new Activity(new ProgressRecord(_nextId++, NonEmpty(id), "Waiting") { ParentActivityId = parent.Record.ActivityId });
        _activities.Add(id, activity);
        return activity;
    }

    // ProgressRecord rejects null or empty activity and status text.
    private static string NonEmpty(string? text) => string.IsNullOrWhiteSpace(text) ? " " : text;

    private sealed class Activity
    {
        public Activity(ProgressRecord record) => Record = record;

        /// <summary>The current state; mutated as reports arrive, never handed out.</summary>
        public ProgressRecord Record { get; }

        /// <summary>
        /// A fresh record to write: hosts and collections (tests, jobs) may keep the records
        /// they are given, so a written record must never change afterwards.
        /// </summary>
        public ProgressRecord Snapshot(ProgressRecordType type) =>
            new(Record.ActivityId, Record.Activity, Record.StatusDescription)
            {
                ParentActivityId = Record.ParentActivityId,
                PercentComplete = Record.PercentComplete,
                CurrentOperation = Record.CurrentOperation,
                SecondsRemaining = Record.SecondsRemaining,
                RecordType = type,
            };
        public Stopwatch Clock { get; } = Stopwatch.StartNew();
        public bool Shown { get; set; }
        public bool Done { get; set; }
        public string? LastStatus { get; set; }
        public int LastPercent { get; set; } = int.MinValue;
    }
}
