using System.Text.Json;
using ContainerPS.Engine.Errors;
using ContainerPS.Engine.Interop;
using ContainerPS.Engine.Store;
using ContainerPS.Runtime.IO;

namespace ContainerPS.Engine.Volumes;

/// <summary>
/// Volumes of the local driver (docker volume create/ls/inspect/rm/prune). Each is a directory
/// volumes/&lt;name&gt;/ holding volume.json (the record) and _data (the content). A volume is
/// made in a hidden directory and renamed into place under the store lock, and removed by the
/// reverse, so a half-made or half-removed volume is never listed. "In use" means mounted by
/// any container record, whatever its state (as Docker decides it); container records are read
/// directly (containers/&lt;id&gt;/container.json "Mounts"), like the image side reads "ImageId".
/// </summary>
public sealed class VolumeStore
{
    public const string LocalDriver = "local";
    private const string RecordFile = "volume.json";
    private const string DataDir = "_data";
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    /// <summary>Docker's local driver options; "size" needs an xfs quota, which this store does not have.</summary>
    private static readonly string[] DriverOptionKeys = { "type", "device", "o" };

    public VolumeStore(StoreLayout layout)
    {
        Layout = layout;
    }

    public StoreLayout Layout { get; }

    /// <summary>volumes/&lt;name&gt;/_data.</summary>
    public string DataPath(string name) => Path.Combine(Layout.Volumes, name, DataDir);

    /// <summary>
    /// docker volume create. An existing volume of that name is returned as it is (Docker's
    /// create is idempotent), unless the options differ. Null name: an anonymous-style random name.
    /// </summary>
    /// <exception cref="InvalidArgumentException">Bad name, driver or driver option.</exception>
    /// <exception cref="ConflictException">"VolumeExists": the name exists with other options.</exception>
    public Volume Create(string? name, IDictionary<string, string>? labels = null, IDictionary<string, string>? driverOptions = null,
        string? driver = null, bool anonymous = false, string? removeWith = null)
    {
        name = name is null ? VolumeNames.NewAnonymous() : VolumeNames.Validate(name);
        if (!string.IsNullOrEmpty(driver) && driver != LocalDriver)
            throw new InvalidArgumentException("UnknownVolumeDriver", $"error looking up volume plugin {driver}: plugin \"{driver}\" not found: only the \"local\" driver exists", driver);
        var options = new Dictionary<string, string>(driverOptions ?? new Dictionary<string, string>(), StringComparer.Ordinal);
        ValidateDriverOptions(options);
        var volume = new Volume
        {
            Name = name,
            CreatedAt = DateTimeOffset.UtcNow,
            Labels = new Dictionary<string, string>(labels ?? new Dictionary<string, string>(), StringComparer.Ordinal),
            Options = options,
            Anonymous = anonymous,
            RemoveWith = removeWith,
        };

        Directory.CreateDirectory(Layout.Volumes);
        using var held = StoreLock.Acquire(Layout);
        if (TryRead(name) is { } existing)
        {
            if (!existing.Options.OrderBy(kv => kv.Key).SequenceEqual(options.OrderBy(kv => kv.Key)))
                throw new ConflictException("VolumeExists", $"create {name}: volume already exists with different driver options", name, ErrorKind.AlreadyExists);
            return existing;
        }
        var temp = Path.Combine(Layout.Volumes, ".new-" + name);
        try
        {
            FileSystem.RemoveAll(temp); // left by a crash
            Directory.CreateDirectory(Path.Combine(temp, DataDir));
            // Docker's _data is 0755 root:root; an image's content copied up later sets its own.
            FileSystem.Chmod(Path.Combine(temp, DataDir), 0x1ED);
            AtomicFile.WriteAllBytes(Path.Combine(temp, RecordFile), JsonSerializer.SerializeToUtf8Bytes(volume, Json));
            Directory.Move(temp, Path.Combine(Layout.Volumes, name));
        }
        catch
        {
            FileSystem.RemoveAll(temp);
            throw;
        }
        volume.Mountpoint = DataPath(name);
        return volume;
    }

    /// <summary>docker volume inspect.</summary>
    /// <exception cref="NotFoundException">"VolumeNotFound".</exception>
    public Volume Get(string name)
    {
        var volume = TryRead(name ?? "") ?? throw new NotFoundException("VolumeNotFound", $"get {name}: no such volume", name);
        volume.UsedBy = Users().Where(u => u.Volumes.Contains(volume.Name)).Select(u => u.ContainerName).ToList();
        return volume;
    }

    public bool Exists(string name) => TryRead(name) is not null;

    /// <summary>The volume's driver options, or null when there is no such volume.</summary>
    public IReadOnlyDictionary<string, string>? TryGetOptions(string name) => TryRead(name)?.Options;

    /// <summary>docker volume ls, by name.</summary>
    public IReadOnlyList<Volume> List()
    {
        SweepAutoRemoved();
        return ListCore();
    }

    private IReadOnlyList<Volume> ListCore()
    {
        if (!Directory.Exists(Layout.Volumes)) return Array.Empty<Volume>();
        var users = Users();
        var result = new List<Volume>();
        foreach (var dir in Directory.EnumerateDirectories(Layout.Volumes))
        {
            var name = Path.GetFileName(dir);
            if (name.StartsWith('.')) continue;
            if (TryRead(name) is not { } v) continue;
            v.UsedBy = users.Where(u => u.Volumes.Contains(name)).Select(u => u.ContainerName).ToList();
            result.Add(v);
        }
        return result.OrderBy(v => v.Name, StringComparer.Ordinal).ToList();
    }

    /// <summary>The names only (completers): one directory listing, no records read.</summary>
    public IReadOnlyList<string> Names() =>
        Directory.Exists(Layout.Volumes)
            ? Directory.EnumerateDirectories(Layout.Volumes).Select(Path.GetFileName).Where(n => n is not null && !n.StartsWith('.')).Select(n => n!).Order(StringComparer.Ordinal).ToList()
            : Array.Empty<string>();

    /// <summary>docker volume rm: refused while any container (running or not) mounts it.</summary>
    /// <exception cref="NotFoundException">"VolumeNotFound".</exception>
    /// <exception cref="ConflictException">"VolumeInUse", naming the containers.</exception>
    public Volume Remove(string name)
    {
        using var held = StoreLock.Acquire(Layout);
        var volume = TryRead(name ?? "") ?? throw new NotFoundException("VolumeNotFound", $"get {name}: no such volume", name);
        var users = Users().Where(u => u.Volumes.Contains(volume.Name)).ToList();
        if (users.Count > 0)
            throw new ConflictException("VolumeInUse",
                $"remove {name}: volume is in use - [{string.Join(", ", users.Select(u => u.ContainerId))}]", name, ErrorKind.FailedPrecondition);
        Delete(volume.Name);
        return volume;
    }

    /// <summary>
    /// docker volume prune: removes unused volumes — only anonymous ones unless
    /// <paramref name="all"/> (Docker ≥ 23). Labels filter like "--filter label=k=v".
    /// </summary>
    public IReadOnlyList<Volume> Prune(bool all, Func<Volume, bool>? filter = null)
    {
        SweepAutoRemoved();
        using var held = StoreLock.Acquire(Layout);
        var removed = new List<Volume>();
        foreach (var v in ListCore())
        {
            if (v.UsedBy.Count > 0 || (!all && !v.Anonymous) || (filter is not null && !filter(v))) continue;
            Delete(v.Name);
            removed.Add(v);
        }
        return removed;
    }

    /// <summary>Removes the given anonymous volumes if no other container uses them (docker rm -v); used ones stay, as Docker keeps them.</summary>
    internal void RemoveUnused(IEnumerable<string> names)
    {
        using var held = StoreLock.Acquire(Layout);
        var users = Users();
        foreach (var name in names)
        {
            if (TryRead(name) is null || users.Any(u => u.Volumes.Contains(name))) continue;
            Delete(name);
        }
    }

    /// <summary>
    /// Removes the anonymous volumes of -AutoRemove containers that are gone (their monitor
    /// removed them), unless another container mounts them: docker run --rm's clean-up, done
    /// lazily because the monitor does not touch volumes. A container being created has its
    /// .new-&lt;id&gt; directory before its volumes exist, so none is swept under it.
    /// </summary>
    private void SweepAutoRemoved()
    {
        if (!Directory.Exists(Layout.Volumes)) return;
        var candidates = ListCore().Where(v => v.RemoveWith is { } id && !ContainerExists(id)).ToList();
        if (candidates.Count == 0) return;
        using var held = StoreLock.Acquire(Layout);
        var users = Users();
        foreach (var v in candidates)
        {
            if (ContainerExists(v.RemoveWith!) || users.Any(u => u.Volumes.Contains(v.Name)) || TryRead(v.Name) is null) continue;
            Delete(v.Name);
        }
    }

    private bool ContainerExists(string id) =>
        Directory.Exists(Path.Combine(Layout.Containers, id)) || Directory.Exists(Path.Combine(Layout.Containers, ".new-" + id));

    /// <summary>Bytes used by each volume's content (docker system df -v).</summary>
    public long Measure(Volume volume)
    {
        long total = 0;
        var dir = new DirectoryInfo(DataPath(volume.Name));
        if (!dir.Exists) return 0;
        foreach (var f in dir.EnumerateFiles("*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0, IgnoreInaccessible = true }))
            if (f.LinkTarget is null) total += f.Length;
        volume.Size = total;
        return total;
    }

    /// <summary>Which containers mount which volumes, from their records.</summary>
    public IReadOnlyList<VolumeUser> Users()
    {
        var users = new List<VolumeUser>();
        if (!Directory.Exists(Layout.Containers)) return users;
        foreach (var dir in Directory.EnumerateDirectories(Layout.Containers))
        {
            if (Path.GetFileName(dir).StartsWith(".rm-", StringComparison.Ordinal)) continue;
            try
            {
                using var doc = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(dir, "container.json")));
                var root = doc.RootElement;
                if (!root.TryGetProperty("Mounts", out var mounts) || mounts.ValueKind != JsonValueKind.Array) continue;
                var names = mounts.EnumerateArray()
                    .Where(m => m.TryGetProperty("Type", out var t) && t.GetString() == MountPoint.VolumeType)
                    .Select(m => m.TryGetProperty("Name", out var n) ? n.GetString() : null)
                    .Where(n => n is not null).Select(n => n!).ToList();
                if (names.Count == 0) continue;
                var id = root.TryGetProperty("Id", out var i) ? i.GetString() ?? "" : Path.GetFileName(dir);
                var cname = root.TryGetProperty("Name", out var nm) ? nm.GetString() ?? id : id;
                users.Add(new VolumeUser(id, cname, names));
            }
            catch (Exception e) when (e is IOException or JsonException or UnauthorizedAccessException) { }
        }
        return users;
    }

    private Volume? TryRead(string name)
    {
        if (name.Length == 0 || name.StartsWith('.') || name.Contains('/')) return null;
        try
        {
            var v = JsonSerializer.Deserialize<Volume>(File.ReadAllBytes(Path.Combine(Layout.Volumes, name, RecordFile)), Json);
            if (v is null) return null;
            v.Mountpoint = DataPath(name);
            return v;
        }
        catch (Exception e) when (e is IOException or JsonException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Under the store lock: rename out of sight, then delete (a crash leaves only a hidden directory).</summary>
    private void Delete(string name)
    {
        var doomed = Path.Combine(Layout.Volumes, ".rm-" + name);
        FileSystem.RemoveAll(doomed);
        Directory.Move(Path.Combine(Layout.Volumes, name), doomed);
        FileSystem.RemoveAll(doomed);
    }

    /// <summary>Docker's local driver: "type", "device" and "o"; a type needs a device (except tmpfs).</summary>
    private static void ValidateDriverOptions(Dictionary<string, string> options)
    {
        foreach (var key in options.Keys)
            if (!DriverOptionKeys.Contains(key))
                throw new InvalidArgumentException("InvalidVolumeOption", $"invalid option key: \"{key}\" (the local driver takes type, device and o)", key);
        var type = options.GetValueOrDefault("type");
        var device = options.GetValueOrDefault("device");
        if (options.Count > 0 && string.IsNullOrEmpty(type))
            throw new InvalidArgumentException("InvalidVolumeOption", "missing required option: \"type\"", options);
        if (type is not null && type != "tmpfs" && string.IsNullOrEmpty(device))
            throw new InvalidArgumentException("InvalidVolumeOption", "missing required option: \"device\"", options);
        if (type is "none" && !(options.GetValueOrDefault("o") ?? "").Split(',').Contains("bind"))
            throw new InvalidArgumentException("InvalidVolumeOption", "type \"none\" needs o=bind (a bind mount of device)", options);
        if (type is "none" && !(device ?? "").StartsWith('/'))
            throw new InvalidArgumentException("InvalidVolumeOption", $"device \"{device}\" of a bind volume must be an absolute host path", device);
    }
}
