using System.Security.Cryptography;
using System.Text.Json;
using ContainerPS.Engine.Interop;
using ContainerPS.Runtime.IO;

namespace ContainerPS.Engine.Build.Context;

/// <summary>
/// The content digests of context files, remembered across builds by what lstat says about them
/// (inode, size, mtime, mode, owner): a file whose stat is unchanged is not read again, one that
/// was touched is re-read and — if its bytes are the same — still gives the same digest, so cache
/// keys depend on content, never on times. Kept in the store (buildcache/files.json); a damaged or
/// stale file is just a cold cache.
/// </summary>
public sealed class FileHashCache
{
    private const int MaxEntries = 200_000;
    private readonly string? _path;
    private readonly Dictionary<string, Entry> _entries;
    private bool _dirty;

    private sealed record Entry(ulong Inode, long Size, long MtimeTicks, uint Mode, string Sha256);

    private FileHashCache(string? path, Dictionary<string, Entry> entries)
    {
        _path = path;
        _entries = entries;
    }

    /// <summary>An empty cache that is never saved (tests, -NoCache).</summary>
    public static FileHashCache InMemory() => new(null, new Dictionary<string, Entry>(StringComparer.Ordinal));

    public static FileHashCache Load(string path)
    {
        try
        {
            var entries = JsonSerializer.Deserialize<Dictionary<string, Entry>>(File.ReadAllBytes(path));
            if (entries is not null) return new FileHashCache(path, new Dictionary<string, Entry>(entries, StringComparer.Ordinal));
        }
        catch (Exception e) when (e is IOException or JsonException or UnauthorizedAccessException or NotSupportedException)
        {
        }
        return new FileHashCache(path, new Dictionary<string, Entry>(StringComparer.Ordinal));
    }

    /// <summary>The hex SHA-256 of a regular file's content.</summary>
    public string Digest(string fullPath, FileStatus status)
    {
        var ticks = status.Modified.UtcTicks;
        lock (_entries)
        {
            if (_entries.TryGetValue(fullPath, out var e) && e.Inode == status.Inode && e.Size == status.Size && e.MtimeTicks == ticks && e.Mode == status.Mode)
                return e.Sha256;
        }
        string hex;
        using (var stream = new FileStream(fullPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 0))
            hex = Convert.ToHexString(SHA256.HashData(stream)).ToLowerInvariant();
        lock (_entries)
        {
            _entries[fullPath] = new Entry(status.Inode, status.Size, ticks, status.Mode, hex);
            _dirty = true;
        }
        return hex;
    }

    /// <summary>Writes the cache back if it changed (temp + rename); failures only cost speed next time.</summary>
    public void Save()
    {
        if (_path is null || !_dirty) return;
        try
        {
            Dictionary<string, Entry> snapshot;
            lock (_entries)
                snapshot = _entries.Count > MaxEntries ? new(_entries.Take(MaxEntries / 2)) : new(_entries);
            Directory.CreateDirectory(Path.GetDirectoryName(_path)!);
            AtomicFile.WriteAllBytes(_path, JsonSerializer.SerializeToUtf8Bytes(snapshot), durable: false);
            _dirty = false;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
    }
}
