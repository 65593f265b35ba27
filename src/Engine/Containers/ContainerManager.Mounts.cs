using ContainerPS.Engine.Containers.Commit;
using ContainerPS.Engine.Errors;
using ContainerPS.Engine.Files;
using ContainerPS.Engine.Images;
using ContainerPS.Engine.Interop;
using ContainerPS.Engine.Volumes;
using ContainerPS.Runtime.Monitor;
using ContainerPS.Runtime.Spec;

namespace ContainerPS.Engine.Containers;

public sealed partial class ContainerManager
{
    /// <summary>
    /// The container's mounts from -Volume, -Mount, -Tmpfs and the image's VOLUMEs, as Docker
    /// resolves them: named volumes are created when missing, an anonymous volume is created for
    /// each image VOLUME no other mount covers, a -Volume bind source that does not exist is
    /// created as a directory (--mount refuses it). Volumes this call created are added to
    /// <paramref name="created"/> so a failed create can remove them again.
    /// </summary>
    /// <exception cref="InvalidArgumentException">A malformed spec, a duplicate mount point, a missing --mount bind source.</exception>
    internal List<MountPoint> PrepareMounts(ContainerCreateOptions options, ContainerConfig? image, List<string> created, string containerId)
    {
        var specs = options.ParseMountSpecs();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var s in specs)
            if (!seen.Add(s.Target))
                throw new InvalidArgumentException("DuplicateMountPoint", $"Duplicate mount point: {s.Target}", s.Target);
        // Image VOLUMEs that no user mount covers get anonymous volumes (Docker's order: user mounts win).
        foreach (var path in (image?.Volumes?.Keys ?? Enumerable.Empty<string>()).Select(MountSpec.Clean).Distinct().Order(StringComparer.Ordinal))
            if (path != "/" && seen.Add(path)) specs.Add(new MountSpec { Type = MountPoint.VolumeType, Target = path });

        var result = new List<MountPoint>();
        foreach (var s in specs)
        {
            switch (s.Type)
            {
                case MountPoint.BindType:
                    var source = s.Source!;
                    if (!Directory.Exists(source) && !File.Exists(source))
                    {
                        if (!s.CreateHostPath)
                            throw new InvalidArgumentException("BindSourceNotFound",
                                $"invalid mount config for type \"bind\": bind source path does not exist: {source}", source);
                        Directory.CreateDirectory(source);
                    }
                    result.Add(new MountPoint
                    {
                        Type = MountPoint.BindType, Source = source, Destination = s.Target, Mode = s.Mode, RW = !s.ReadOnly,
                        Propagation = s.Propagation ?? "rprivate",
                    });
                    break;
                case MountPoint.TmpfsType:
                    result.Add(new MountPoint
                    {
                        Type = MountPoint.TmpfsType, Destination = s.Target, Mode = s.Mode, RW = !s.ReadOnly, Options = s.TmpfsOptions.ToList(),
                    });
                    break;
                default:
                    var anonymous = s.Source is null;
                    var existed = !anonymous && Volumes.Exists(s.Source!);
                    // docker run --rm removes anonymous volumes with the container; the monitor removes a
                    // detached one, so the volume names its container and goes once that is gone.
                    var volume = existed ? Volumes.Get(s.Source!)
                        : Volumes.Create(s.Source, anonymous: anonymous, removeWith: anonymous && options.AutoRemove ? containerId : null);
                    if (!existed) created.Add(volume.Name);
                    result.Add(new MountPoint
                    {
                        Type = MountPoint.VolumeType, Name = volume.Name, Source = VolumeSource(volume), Destination = s.Target,
                        Driver = VolumeStore.LocalDriver, Mode = s.Mode, RW = !s.ReadOnly, Anonymous = anonymous,
                        // nocopy is remembered through Options so copy-up can skip it.
                        Options = s.NoCopy ? new List<string> { "nocopy" } : new List<string>(),
                    });
                    break;
            }
        }
        return result;
    }

    /// <summary>What a volume mounts: its _data, or with driver options (type/device/o) the device.</summary>
    private string VolumeSource(Volume volume) =>
        volume.Options.TryGetValue("device", out var device) ? device : Volumes.DataPath(volume.Name);

    /// <summary>
    /// The OCI mounts for the runtime (built-in, runc, crun alike), parents before children:
    /// volumes and binds as "rbind" with their propagation (rprivate by default) and "ro";
    /// tmpfs with its options. A local volume with driver options is mounted as those options say.
    /// </summary>
    internal List<SpecMount> SpecMounts(IEnumerable<MountPoint> mounts)
    {
        var result = new List<SpecMount>();
        foreach (var m in mounts.OrderBy(m => m.Destination.Count(c => c == '/')).ThenBy(m => m.Destination, StringComparer.Ordinal))
        {
            var ro = m.RW ? new List<string>() : new List<string> { "ro" };
            if (m.Type == MountPoint.TmpfsType)
            {
                result.Add(new SpecMount { Destination = m.Destination, Type = "tmpfs", Source = "tmpfs", Options = m.Options.Concat(ro).ToList() });
                continue;
            }
            if (m.Type == MountPoint.VolumeType && m.Name is { } name && Volumes.TryGetOptions(name) is { Count: > 0 } driver
                && driver.GetValueOrDefault("type") is { } fsType && fsType != "none")
            {
                // docker volume create -o type=tmpfs -o o=size=10m (or nfs, ext4 ...): mounted by the runtime as asked.
                var data = driver.GetValueOrDefault("o");
                result.Add(new SpecMount
                {
                    Destination = m.Destination, Type = fsType, Source = driver.GetValueOrDefault("device") ?? fsType,
                    Options = (string.IsNullOrEmpty(data) ? new List<string>() : data.Split(',').ToList()).Concat(ro).ToList(),
                });
                continue;
            }
            result.Add(new SpecMount
            {
                Destination = m.Destination, Type = "bind", Source = m.Source,
                Options = new List<string> { "rbind", string.IsNullOrEmpty(m.Propagation) ? "rprivate" : m.Propagation }.Concat(ro).ToList(),
            });
        }
        return result;
    }

    /// <summary>
    /// Docker's copy-up: a volume that is empty (and not "nocopy", and plain _data) is first filled
    /// with what the image has at its mount point — owners, modes, xattrs and symlinks kept, the
    /// mount point's own owner and mode given to the volume's root. The image is mounted read-only
    /// where only one thread sees it, and the mount point is resolved inside it (openat2
    /// RESOLVE_IN_ROOT), so an image's symlink cannot make it copy from the host.
    /// </summary>
    internal void CopyUp(IReadOnlyList<MountPoint> mounts, string lowerdir, string emptyUpper, CancellationToken cancellationToken)
    {
        var eligible = mounts.Where(m => m.Type == MountPoint.VolumeType && !m.Options.Contains("nocopy") && m.Name is not null
            && m.Source == Volumes.DataPath(m.Name) && Directory.Exists(m.Source) && !Directory.EnumerateFileSystemEntries(m.Source).Any()).ToList();
        if (eligible.Count == 0) return;
        var data = RootfsExport.MountData(new MountDescription { WorkingDirectory = Layout.Layers, Options = { "lowerdir=" + lowerdir } }, emptyUpper);
        PrivateRootfs.Run(Layout.Layers, data, readOnly: true, (root, _) =>
        {
            foreach (var m in eligible) CopyUpOne(root, m, cancellationToken);
            return true;
        }, "volume copy-up");
    }

    private static void CopyUpOne(int root, MountPoint mount, CancellationToken cancellationToken)
    {
        var src = Fd.TryOpenAt2(root, mount.Destination, NativeMethods.O_RDONLY | NativeMethods.O_DIRECTORY, inRoot: true);
        if (src < 0) return; // nothing (or not a directory) at that path in the image: nothing to copy
        var dst = -1;
        try
        {
            dst = Fd.OpenAt2(-100, mount.Source, NativeMethods.O_RDONLY | NativeMethods.O_DIRECTORY | NativeMethods.O_NOFOLLOW, inRoot: false);
            using var copier = new TreeCopier { CancellationToken = cancellationToken };
            copier.CopyContents(src, dst);
            var status = Fd.Stat(src, mount.Destination);
            Fd.SetOwnerAndMode(dst, status.Uid, status.Gid, status.Permissions, mount.Source);
            Fd.CopyXattrs(src, dst, mount.Source);
        }
        catch (Exception e) when (e is SyscallException or IOException or UnauthorizedAccessException)
        {
            throw new EngineException(ErrorKind.Internal, "VolumeCopyUpFailed",
                $"copying the image's {mount.Destination} into volume {mount.Name}: {e.Message}", mount.Name, e);
        }
        finally
        {
            Fd.Close(dst);
            Fd.Close(src);
        }
    }
}
