using ContainerPS.Engine.Errors;
using ContainerPS.Engine.Interop;

namespace ContainerPS.Engine.Build.Execution;

/// <summary>
/// Writes a COPY/ADD layer into a staging root: files, directories and symlinks at their
/// absolute destinations, with the owner (--chown, else root for context files, else kept) and
/// mode (--chmod, else kept) Docker gives them. Parent directories that exist in the image are
/// recreated with their existing mode, owner and time (a layer entry for a directory replaces its
/// metadata); missing ones are made 0755 (owned by --chown's user). Directory times are set
/// last, deepest first, since writing into a directory changes its mtime.
/// </summary>
internal sealed class LayerStager
{
    private readonly string _root;
    private readonly LayeredView _view;
    private readonly (int Uid, int Gid)? _owner;
    private readonly uint? _mode;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, DateTimeOffset> _directoryTimes = new(StringComparer.Ordinal);

    public LayerStager(string root, LayeredView view, (int Uid, int Gid)? owner, uint? mode)
    {
        _root = root;
        _view = view;
        _owner = owner;
        _mode = mode;
    }

    /// <summary>
    /// The unpacked layer the same instruction produced last time (its diff dir), and the
    /// content digests to compare with: a file that is byte-for-byte the same there, with the
    /// same owner, mode and time, is hard-linked instead of copied. Layer dirs are never written
    /// after they are made, so sharing an inode between two layers is safe.
    /// </summary>
    public (string Root, Context.FileHashCache Hashes)? Reuse { get; init; }

    public string HostPathOf(string absolute) => absolute == "/" ? _root : Path.Combine(_root, absolute.TrimStart('/'));

    /// <summary>Makes <paramref name="absolute"/> and its parents a directory in the staging root.</summary>
    public void EnsureDirectory(string absolute, bool created)
    {
        var parts = LayeredView.Split(absolute);
        var current = "";
        foreach (var part in parts)
        {
            current += "/" + part;
            var host = HostPathOf(current);
            if (FileSystem.TryLStat(host, out var st))
            {
                if (!st.IsDirectory) throw new InvalidArgumentException("CopyDestinationConflict", $"cannot copy to {absolute}: {current} is not a directory", absolute);
                continue;
            }
            Directory.CreateDirectory(host);
            if (_view.LStat(current) is { } existing)
            {
                if (!existing.Status.IsDirectory)
                    throw new InvalidArgumentException("CopyDestinationConflict", $"cannot copy to {absolute}: {current} exists in the image and is not a directory", absolute);
                FileSystem.LChown(host, (int)existing.Status.Uid, (int)existing.Status.Gid);
                FileSystem.Chmod(host, existing.Status.Permissions);
                _directoryTimes[host] = existing.Status.Modified;
            }
            else
            {
                var (uid, gid) = created && _owner is { } o ? o : (0, 0);
                FileSystem.LChown(host, uid, gid);
                FileSystem.Chmod(host, 0x1ED);
                _directoryTimes[host] = DateTimeOffset.UtcNow;
            }
        }
    }

    /// <summary>
    /// Copies a directory's entries (parents before children): directories first, one by one,
    /// then files and links in parallel — creating many small files is bound by the file
    /// system's per-file latency, which parallel creates in different directories overlap.
    /// </summary>
    public void CopyAll(IEnumerable<(string HostPath, FileStatus Status, string Absolute)> entries, bool keepOwner, CancellationToken ct)
    {
        var files = new List<(string HostPath, FileStatus Status, string Absolute)>();
        foreach (var e in entries)
        {
            if (e.Status.IsDirectory) Copy(e.HostPath, e.Status, e.Absolute, keepOwner);
            else files.Add(e);
        }
        if (files.Count < 64)
        {
            foreach (var f in files) Copy(f.HostPath, f.Status, f.Absolute, keepOwner);
            return;
        }
        Parallel.ForEach(files, new ParallelOptions { CancellationToken = ct, MaxDegreeOfParallelism = 8 },
            f => Copy(f.HostPath, f.Status, f.Absolute, keepOwner));
    }

    /// <summary>Copies one entry (file, directory without its content, symlink) to <paramref name="absolute"/>.</summary>
    public void Copy(string hostSource, FileStatus status, string absolute, bool keepOwner)
    {
        var target = HostPathOf(absolute);
        var (uid, gid) = _owner ?? (keepOwner ? ((int)status.Uid, (int)status.Gid) : (0, 0));
        if (status.IsDirectory)
        {
            if (!FileSystem.TryLStat(target, out var existing) || !existing.IsDirectory)
            {
                if (existing.Mode != 0) FileSystem.RemoveAll(target);
                EnsureDirectory(LayeredView.Parent(absolute), created: true);
                Directory.CreateDirectory(target);
            }
            FileSystem.LChown(target, uid, gid);
            FileSystem.Chmod(target, _mode ?? status.Permissions);
            _directoryTimes[target] = status.Modified;
            return;
        }
        if (FileSystem.TryLStat(target, out var old))
        {
            if (old.IsDirectory) throw new InvalidArgumentException("CopyDestinationConflict", $"cannot copy a file over the directory {absolute}", absolute);
            FileSystem.Unlink(target);
        }
        if (status.IsSymbolicLink)
        {
            if (!Directory.Exists(Path.GetDirectoryName(target))) EnsureDirectory(LayeredView.Parent(absolute), created: true);
            FileSystem.SymLink(new FileInfo(hostSource).LinkTarget ?? "", target);
            FileSystem.LChown(target, uid, gid);
            FileSystem.SetTimes(target, status.Modified);
            return;
        }
        if (!Directory.Exists(Path.GetDirectoryName(target))) EnsureDirectory(LayeredView.Parent(absolute), created: true);
        if (!status.IsRegularFile) return; // devices, fifos and sockets are not copied from a context
        if (TryLinkPrevious(hostSource, status, absolute, target, uid, gid)) return;
        File.Copy(hostSource, target);
        FileSystem.LChown(target, uid, gid);
        FileSystem.Chmod(target, _mode ?? status.Permissions); // after chown, which clears setuid bits
        FileSystem.SetTimes(target, status.Modified);
    }

    private bool TryLinkPrevious(string hostSource, FileStatus status, string absolute, string target, int uid, int gid)
    {
        if (Reuse is not { } reuse) return false;
        var candidate = Path.Combine(reuse.Root, absolute.TrimStart('/'));
        if (!FileSystem.TryLStat(candidate, out var old) || !old.IsRegularFile || old.Size != status.Size
            || old.Uid != uid || old.Gid != gid || old.Permissions != (_mode ?? status.Permissions)
            || old.Modified.ToUnixTimeMilliseconds() != status.Modified.ToUnixTimeMilliseconds()) // SetTimes keeps milliseconds
            return false;
        if (reuse.Hashes.Digest(candidate, old) != reuse.Hashes.Digest(hostSource, status)) return false;
        FileSystem.HardLink(candidate, target);
        return true;
    }

    /// <summary>Sets directory times, deepest first.</summary>
    public void FinishDirectories()
    {
        foreach (var (dir, time) in _directoryTimes.OrderByDescending(kv => kv.Key.Length))
            if (Directory.Exists(dir)) FileSystem.SetTimes(dir, time);
    }
}
