using ContainerPS.Engine.Containers.Spec;
using ContainerPS.Engine.Errors;
using ContainerPS.Engine.Layers;
using ContainerPS.Engine.Store;
using ContainerPS.Runtime.IO;
using ContainerPS.Runtime.Monitor;
using ContainerPS.Runtime.Spec;

namespace ContainerPS.Engine.Containers;

public sealed partial class ContainerManager
{
    /// <summary>
    /// docker create: validates the options, resolves the image, and lays out the container
    /// (record, OCI bundle, copy-on-write upper/work dirs, /etc/hosts, /etc/hostname,
    /// /etc/resolv.conf) in a hidden directory that is renamed into place as the last step —
    /// a failed create leaves nothing. Names are unique under the store lock.
    /// </summary>
    public Container Create(ContainerCreateOptions options) => Create(options, id: null);

    /// <param name="id">The new container's ID when the caller chose it (<see cref="Run"/>: its monitor is already starting); else a new one.</param>
    private Container Create(ContainerCreateOptions options, string? id)
    {
        options.Validate();
        var image = Images.Get(options.Image);
        var imageConfig = Images.ReadConfig(Digest.Parse(image.Id));
        return CreateCore(options, image.Id, imageConfig.Config, ChainId.For(imageConfig.RootFs.DiffIds), imageVolumes: true, id);
    }

    /// <summary>
    /// Create on explicit layers and config rather than a stored image: the Dockerfile builder's
    /// RUN containers stand on a build state that is not an image yet. <paramref name="imageId"/>
    /// is recorded as the container's image (the build's base, or "" for scratch).
    /// <paramref name="imageVolumes"/>: give the image's VOLUMEs anonymous volumes (not for RUN
    /// steps, whose writes there must stay in the build's layer).
    /// </summary>
    internal Container CreateCore(ContainerCreateOptions options, string imageId, ContainerPS.Engine.Images.ContainerConfig? imageConfig, IReadOnlyList<Digest> chains,
        bool imageVolumes = false, string? id = null)
    {
        var lowers = chains.Select(c => Images.LayerStore.Get(c)).Reverse().ToList(); // overlay: topmost first

        id ??= ContainerNames.NewId();
        Directory.CreateDirectory(Layout.Containers);
        var temp = System.IO.Path.Combine(Layout.Containers, ".new-" + id);
        var createdVolumes = new List<string>();
        try
        {
            // The directory first: an -AutoRemove container's anonymous volumes are swept once neither it nor .new-<id> exists.
            Directory.CreateDirectory(temp);
            var mounts = PrepareMounts(options, imageVolumes ? imageConfig : null, createdVolumes, id);
            var diff = System.IO.Path.Combine(temp, "diff");
            var work = System.IO.Path.Combine(temp, "work");
            var bundle = System.IO.Path.Combine(temp, "bundle");
            Directory.CreateDirectory(diff);
            Directory.CreateDirectory(work);
            Directory.CreateDirectory(System.IO.Path.Combine(bundle, "rootfs"));

            var hostname = options.Hostname ?? id[..12];
            File.WriteAllText(System.IO.Path.Combine(temp, "hostname"), hostname + "\n");
            File.WriteAllText(System.IO.Path.Combine(temp, "hosts"), HostsFile(hostname));
            File.WriteAllText(System.IO.Path.Combine(temp, "resolv.conf"), ResolvConf());

            var finalDir = DirOf(id);
            var builder = new ContainerSpecBuilder();
            var spec = builder.Build(new ContainerSpecInput
            {
                ContainerId = id,
                ImageId = imageId,
                ImageConfig = imageConfig,
                Options = options,
                Rootfs = new LayeredRootfsReader(lowers.Select(l => Images.LayerStore.DiffPath(l.ChainId)).ToList()),
                HostsPath = System.IO.Path.Combine(finalDir, "hosts"),
                HostnamePath = System.IO.Path.Combine(finalDir, "hostname"),
                ResolvConfPath = System.IO.Path.Combine(finalDir, "resolv.conf"),
                UserMounts = SpecMounts(mounts),
            });
            var networks = PlanNetwork(options, id, spec);
            // Not fsynced, like rootfs.json and the hosts files: container.json, fsynced last, is
            // what makes the container exist (a crash before it leaves only a .new- directory).
            SpecJson.Save(spec, System.IO.Path.Combine(bundle, SpecJson.FileName), durable: false);

            var record = new ContainerRecord
            {
                Id = id,
                Created = DateTimeOffset.UtcNow,
                Image = options.Image,
                ImageId = imageId,
                Path = spec.Process?.Args?.FirstOrDefault() ?? "",
                Args = spec.Process?.Args?.Skip(1).ToList() ?? new List<string>(),
                Runtime = options.Runtime ?? "builtin",
                Options = options,
                Mounts = mounts,
                Networks = networks,
            };
            InitLayer.Ensure(Layout.InitLayer);
            WriteRootfsDescription(temp, finalDir, lowers);
            CopyUp(mounts, LowerDir(lowers), diff, CancellationToken.None);

            using var held = StoreLock.Acquire(Layout);
            var names = Records().Select(r => r.Name).ToHashSet(StringComparer.Ordinal);
            if (options.Name is { } wanted)
            {
                var name = ContainerNames.Validate(wanted);
                var owner = Records().FirstOrDefault(r => r.Name == name);
                if (owner is not null)
                    throw new ConflictException("ContainerNameInUse",
                        $"Conflict. The container name \"/{name}\" is already in use by container \"{owner.Id}\". You have to remove (or rename) that container to be able to reuse that name.", name, ErrorKind.AlreadyExists);
                record.Name = name;
            }
            else
            {
                record.Name = ContainerNames.Generate(names.Contains);
            }
            // A volume removed since PrepareMounts (another shell) must not be referenced.
            if (mounts.FirstOrDefault(m => m.Name is not null && !Volumes.Exists(m.Name)) is { } gone)
                throw new NotFoundException("VolumeNotFound", $"volume {gone.Name} was removed while container {record.Name} was being created", gone.Name);
            WriteRecord(temp, record);
            Directory.Move(temp, finalDir);
            return ToContainer(record);
        }
        catch
        {
            if (Directory.Exists(temp)) Directory.Delete(temp, recursive: true);
            if (createdVolumes.Count > 0) Volumes.RemoveUnused(createdVolumes);
            throw;
        }
    }

    /// <summary>
    /// The overlay mount of the container's rootfs, described for the monitor (short lowerdir
    /// links): the container's init layer, then the image's layers, topmost first.
    /// </summary>
    private void WriteRootfsDescription(string dir, string finalDir, IReadOnlyList<LayerInfo> lowersTopFirst)
    {
        var lowerdir = LowerDir(lowersTopFirst);
        var mount = new MountDescription
        {
            Type = "overlay",
            Source = "overlay",
            WorkingDirectory = Layout.Layers,
            Options = new List<string>
            {
                "lowerdir=" + lowerdir,
                "upperdir=" + System.IO.Path.Combine(finalDir, "diff"),
                "workdir=" + System.IO.Path.Combine(finalDir, "work"),
            },
        };
        AtomicFile.WriteAllBytes(System.IO.Path.Combine(dir, "rootfs.json"),
            System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(mount, MonitorJsonContext.Default.MountDescription), durable: false);
    }

    /// <summary>The overlay lowerdir: the store's shared init layer, then the image's short layer links (relative to the layers directory).</summary>
    private string LowerDir(IReadOnlyList<LayerInfo> lowersTopFirst) =>
        string.Join(':', lowersTopFirst.Select(l => "l/" + l.Link).Prepend(Layout.InitLayer));

    private static string HostsFile(string hostname) =>
        "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\nfe00::0\tip6-localnet\nff00::0\tip6-mcastprefix\nff02::1\tip6-allnodes\nff02::2\tip6-allrouters\n" +
        $"127.0.1.1\t{hostname}\n";

    /// <summary>The host's resolv.conf without loopback resolvers (unreachable from a container's own network), as Docker does.</summary>
    private static string ResolvConf()
    {
        string[] lines;
        try { lines = File.ReadAllLines("/etc/resolv.conf"); }
        catch (IOException) { lines = Array.Empty<string>(); }
        var kept = lines.Where(l => !(l.TrimStart().StartsWith("nameserver", StringComparison.Ordinal) &&
            (l.Contains(" 127.", StringComparison.Ordinal) || l.Contains(" ::1", StringComparison.Ordinal)))).ToList();
        if (!kept.Any(l => l.TrimStart().StartsWith("nameserver", StringComparison.Ordinal)))
            kept.AddRange(new[] { "nameserver 8.8.8.8", "nameserver 8.8.4.4" });
        return string.Join('\n', kept) + "\n";
    }
}
