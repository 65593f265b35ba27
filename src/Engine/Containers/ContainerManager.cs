using System.Text.Json;
using ContainerPS.Engine.Errors;
using ContainerPS.Engine.Images;
using ContainerPS.Engine.Store;
using ContainerPS.Engine.Volumes;
using ContainerPS.Runtime.IO;
using ContainerPS.Runtime.Monitor;

namespace ContainerPS.Engine.Containers;

/// <summary>
/// The container side of the engine, no daemon: records under containers/&lt;id&gt;/, one
/// monitor process per running container (the shim), and the verbs (one partial file each:
/// Create, Start, Stop, Pause, Remove, Rename, Wait, Logs). Every read takes a fresh look at
/// the files, so several shells see the same containers.
/// </summary>
public sealed partial class ContainerManager
{
    private static readonly JsonSerializerOptions RecordJson = new() { WriteIndented = true };

    public ContainerManager(StoreLayout layout, ImageStore? images = null)
    {
        Layout = layout;
        Images = images ?? new ImageStore(layout);
        Volumes = new VolumeStore(layout);
        Networks = new Networking.NetworkManager(this);
    }

    /// <summary>docker network: the networks containers of this store join.</summary>
    public Networking.NetworkManager Networks { get; }

    public static ContainerManager Open() => new(StoreLayout.FromEnvironment());

    public StoreLayout Layout { get; }
    public ImageStore Images { get; }
    public VolumeStore Volumes { get; }

    /// <summary>Where the shim binary is (see <see cref="ShimLocator"/>); settable for tests.</summary>
    public string? ShimPath { get; set; }

    internal string DirOf(string id) => System.IO.Path.Combine(Layout.Containers, id);

    /// <summary>docker ps [-a]: newest first.</summary>
    public IReadOnlyList<Container> List(bool all = false)
    {
        var result = new List<Container>();
        foreach (var record in Records())
        {
            var c = ToContainer(record);
            if (all || c.Running) result.Add(c);
        }
        return result.OrderByDescending(c => c.Created).ToList();
    }

    /// <summary>A container by exact name, full ID or unique ID prefix (Docker's order).</summary>
    public Container Get(string nameOrId) => ToContainer(Resolve(nameOrId));

    public bool TryGet(string nameOrId, out Container? container)
    {
        try
        {
            container = Get(nameOrId);
            return true;
        }
        catch (NotFoundException)
        {
            container = null;
            return false;
        }
    }

    internal ContainerRecord Resolve(string nameOrId)
    {
        if (string.IsNullOrWhiteSpace(nameOrId))
            throw new InvalidArgumentException("InvalidContainerName", "a container name or ID is required", nameOrId);
        var name = nameOrId.TrimStart('/');
        var records = Records().ToList();
        var byName = records.FirstOrDefault(r => r.Name == name);
        if (byName is not null) return byName;
        var byId = records.Where(r => r.Id.StartsWith(nameOrId, StringComparison.Ordinal)).ToList();
        if (byId.Count == 1) return byId[0];
        if (byId.Count > 1)
            throw new ConflictException("AmbiguousContainerId", $"multiple containers found with provided prefix: {nameOrId}", nameOrId, ErrorKind.InvalidArgument);
        throw new NotFoundException("ContainerNotFound", $"No such container: {nameOrId}", nameOrId);
    }

    internal IEnumerable<ContainerRecord> Records()
    {
        if (!Directory.Exists(Layout.Containers)) yield break;
        foreach (var dir in Directory.EnumerateDirectories(Layout.Containers))
        {
            if (System.IO.Path.GetFileName(dir).StartsWith('.')) continue; // being created or removed
            var record = TryReadRecord(dir);
            if (record is not null) yield return record;
        }
    }

    private static ContainerRecord? TryReadRecord(string dir)
    {
        try
        {
            return JsonSerializer.Deserialize<ContainerRecord>(File.ReadAllBytes(System.IO.Path.Combine(dir, "container.json")), RecordJson);
        }
        catch (Exception ex) when (ex is IOException or JsonException or UnauthorizedAccessException)
        {
            return null; // removed meanwhile, or half-written by a crash: not a container
        }
    }

    internal void WriteRecord(string dir, ContainerRecord record) =>
        AtomicFile.WriteAllBytes(System.IO.Path.Combine(dir, "container.json"), JsonSerializer.SerializeToUtf8Bytes(record, RecordJson));

    /// <summary>
    /// The state as the monitor last wrote it, corrected for a monitor that is gone: a
    /// container cannot be running without its monitor.
    /// </summary>
    internal ContainerStateFile ReadState(string id)
    {
        var path = System.IO.Path.Combine(DirOf(id), "state.json");
        ContainerStateFile state;
        try
        {
            state = JsonSerializer.Deserialize(File.ReadAllBytes(path), MonitorJsonContext.Default.ContainerStateFile) ?? new ContainerStateFile();
        }
        catch (Exception ex) when (ex is IOException or JsonException)
        {
            return new ContainerStateFile { Status = ContainerStatus.Created };
        }
        if (state.Status is ContainerStatus.Running or ContainerStatus.Paused or ContainerStatus.Restarting && !MonitorAlive(state.MonitorPid))
        {
            state.Status = ContainerStatus.Exited;
            state.Pid = 0;
            state.Error ??= "the container's monitor process is gone";
            state.ExitCode = state.ExitCode == 0 ? 255 : state.ExitCode;
        }
        return state;
    }

    /// <summary>Alive and still our shim (not a recycled PID).</summary>
    internal static bool MonitorAlive(int pid)
    {
        if (pid <= 0) return false;
        try
        {
            var cmdline = File.ReadAllText($"/proc/{pid}/cmdline");
            if (!cmdline.StartsWith(ShimLocator.MonitorFileName + "\0monitor\0", StringComparison.Ordinal)) return false;
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var state = stat[(stat.LastIndexOf(')') + 2)..][0];
            return state != 'Z' && state != 'X';
        }
        catch (IOException)
        {
            return false;
        }
    }

    internal Container ToContainer(ContainerRecord record)
    {
        var state = ReadState(record.Id);
        var network = state.Status is ContainerStatus.Running or ContainerStatus.Paused or ContainerStatus.Restarting ? ReadNetwork(record.Id) : null;
        return new Container
        {
            Id = record.Id,
            Name = record.Name,
            Image = record.Image,
            ImageId = record.ImageId,
            Command = CommandLine.Format(record.Path, record.Args),
            Path = record.Path,
            Args = record.Args,
            Created = record.Created,
            State = state.Status,
            Status = StatusText.For(state, DateTimeOffset.UtcNow),
            ExitCode = state.ExitCode,
            Pid = state.Pid,
            StartedAt = state.StartedAt,
            FinishedAt = state.FinishedAt,
            RestartCount = state.RestartCount,
            OomKilled = state.OomKilled,
            Error = state.Error,
            Runtime = record.Runtime,
            RestartPolicy = record.Options.RestartPolicy,
            AutoRemove = record.Options.AutoRemove,
            Tty = record.Options.Tty,
            Labels = new Dictionary<string, string>(record.Options.Labels),
            LogPath = System.IO.Path.Combine(DirOf(record.Id), record.Id + "-json.log"),
            Config = record.Options,
            Mounts = record.Mounts,
            Networks = record.Networks,
            Ports = network?.Ports ?? (IReadOnlyList<Runtime.Networking.PortBinding>)Array.Empty<Runtime.Networking.PortBinding>(),
            IPAddress = network?.Attachments.FirstOrDefault()?.Address is { } a ? a[..a.IndexOf('/')] : null,
            NetworkAttachments = network?.Attachments ?? (IReadOnlyList<Runtime.Networking.CniAttachment>)Array.Empty<Runtime.Networking.CniAttachment>(),
        };
    }
}
