using System.Text.Json;
using ContainerPS.Engine.Containers.Copy;
using ContainerPS.Engine.Errors;
using ContainerPS.Engine.Files;
using ContainerPS.Engine.Interop;
using ContainerPS.Engine.Volumes;
using ContainerPS.Runtime.Init;
using ContainerPS.Runtime.IO;
using ContainerPS.Runtime.Monitor;

namespace ContainerPS.Engine.Containers;

public sealed partial class ContainerManager
{
    /// <summary>
    /// docker cp CONTAINER:SRC HOSTDEST, for running and stopped containers, with docker cp's
    /// rules (see CopyTree). Owners, modes, mtimes, xattrs, symlinks and hard links among the
    /// copied files are kept.
    /// </summary>
    public Task<int> CopyFromContainerAsync(string nameOrId, string containerPath, string hostPath, CopyOptions? options, CancellationToken cancellationToken) =>
        WithContainerRootAsync(nameOrId, root =>
        {
            using var copier = new TreeCopier { CancellationToken = cancellationToken };
            return CopyTree(root, containerPath, CopySide.Host, hostPath, copier, options ?? new CopyOptions());
        }, cancellationToken);

    /// <summary>
    /// docker cp HOSTSRC CONTAINER:DEST. Files belong to the container's root unless
    /// <see cref="CopyOptions.Archive"/> (docker cp -a) keeps the host owners. A destination inside
    /// a volume or bind mount lands in it, as Docker does; a read-only one refuses.
    /// </summary>
    public Task<int> CopyToContainerAsync(string nameOrId, string hostPath, string containerPath, CopyOptions? options, CancellationToken cancellationToken)
    {
        options ??= new CopyOptions();
        return WithContainerRootAsync(nameOrId, root =>
        {
            using var copier = new TreeCopier { CancellationToken = cancellationToken, Owner = options.Archive ? null : (0u, 0u) };
            return CopyTree(CopySide.Host, hostPath, root, containerPath, copier, options);
        }, cancellationToken);
    }

    /// <summary>
    /// Runs <paramref name="work"/> with the container's root: for a running (or paused) one,
    /// /proc/&lt;pid&gt;/root — its own mount namespace's view, volumes included, which the host
    /// never mounts; for a stopped one, its overlay mounted read-write with its volumes and binds
    /// on a thread with a private mount namespace (as export does), so nothing leaks onto the host.
    /// </summary>
    private Task<int> WithContainerRootAsync(string nameOrId, Func<CopySide, int> work, CancellationToken cancellationToken)
    {
        var record = Resolve(nameOrId);
        cancellationToken.ThrowIfCancellationRequested();
        return Task.Factory.StartNew(() =>
        {
            var state = ReadState(record.Id);
            if (state.Status is ContainerStatus.Running or ContainerStatus.Paused && state.Pid > 0)
            {
                var root = Fd.OpenAt2(-100, $"/proc/{state.Pid}/root", NativeMethods.O_PATH | NativeMethods.O_DIRECTORY, inRoot: false);
                try
                {
                    // The PID was read before the open: make sure it still is this container's process.
                    if (ReadState(record.Id) is not { Pid: var pid } || pid != state.Pid)
                        throw new ConflictException("ContainerStateChanged", $"container {record.Name} stopped while the copy began; try again", record.Name);
                    return work(CopySide.InContainer(root, record.Name));
                }
                finally
                {
                    Fd.Close(root);
                }
            }
            if (state.Status is ContainerStatus.Restarting)
                throw new ConflictException("ContainerRestarting", $"container {record.Name} is restarting; try again when it runs or has stopped", record.Name, ErrorKind.FailedPrecondition);

            // Start takes this lock too: the container cannot start (and mount the same upper
            // directory) while its stopped file system is being copied to or from.
            using var startLock = FileLock.Acquire(Path.Combine(DirOf(record.Id), "lock"), cancellationToken: cancellationToken);
            if (ReadState(record.Id).Status is not (ContainerStatus.Created or ContainerStatus.Exited or ContainerStatus.Dead))
                throw new ConflictException("ContainerStateChanged", $"container {record.Name} started while the copy began; try again", record.Name);
            var description = ReadRootfsDescription(record);
            return PrivateRootfs.Run(description.WorkingDirectory, description.Data, readOnly: false, (root, _) =>
            {
                foreach (var m in record.Mounts.Where(m => m.Type != MountPoint.TmpfsType && m.Source.Length > 0 && Path.Exists(m.Source))
                             .OrderBy(m => m.Destination.Count(c => c == '/')))
                    PrivateRootfs.BindInto(root, m.Source, m.Destination, readOnly: !m.RW);
                return work(CopySide.InContainer(root, record.Name));
            }, $"copying files of container {record.Name}");
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    private MountDescription ReadRootfsDescription(ContainerRecord record)
    {
        try
        {
            return JsonSerializer.Deserialize(File.ReadAllBytes(Path.Combine(DirOf(record.Id), "rootfs.json")), MonitorJsonContext.Default.MountDescription)
                ?? throw new JsonException("null document");
        }
        catch (Exception e) when (e is IOException or JsonException)
        {
            throw new NotFoundException("RootfsNotFound", $"the root file system of container {record.Name} cannot be read: {e.Message}", record.Name);
        }
    }

    /// <summary>
    /// docker cp's archive semantics (moby's CopyInfoSourcePath / CopyInfoDestinationPath):
    /// SRC a file — DEST missing: written as DEST (its parent must exist; "DEST/" must be an
    /// existing directory); DEST a file: overwritten; DEST a directory: copied into it.
    /// SRC a directory — DEST missing: created with SRC's content; DEST a file: error; DEST a
    /// directory: SRC copied into it, or with "SRC/." only SRC's content. A symlink named as SRC
    /// is copied as a link unless -FollowLink (or SRC ends in "/" or "/."). Returns the number of
    /// entries copied.
    /// </summary>
    private static int CopyTree(CopySide from, string srcPath, CopySide to, string dstPath, TreeCopier copier, CopyOptions options)
    {
        var contents = srcPath.EndsWith("/.", StringComparison.Ordinal) || srcPath == ".";
        var follow = options.FollowLink || contents || srcPath.EndsWith('/');
        var src = from.Clean(srcPath);
        if (src == "/") contents = true;
        var srcFd = from.TryOpen(src, NativeMethods.O_PATH | (follow ? 0 : NativeMethods.O_NOFOLLOW));
        if (srcFd < 0) throw from.OpenFailed(srcPath, srcFd, "CopySourceNotFound");
        var dstFd = -1;
        var parentFd = -1;
        try
        {
            var status = Fd.Stat(srcFd, src);
            if ((contents || srcPath.EndsWith('/')) && !status.IsDirectory)
                throw new InvalidArgumentException("CopySourceNotDirectory", $"\"{from.Describe(srcPath)}\": not a directory", srcPath);

            var dstTrailing = dstPath.EndsWith('/') || dstPath.EndsWith("/.", StringComparison.Ordinal);
            var dst = to.Clean(dstPath);
            dstFd = to.TryOpen(dst, NativeMethods.O_PATH);
            if (dstFd >= 0 && Fd.Stat(dstFd, dst).IsDirectory)
            {
                if (status.IsDirectory && contents) copier.CopyContents(srcFd, dstFd);
                else copier.CopyOpened(srcFd, status, dstFd, BaseName(src), srcPath);
                return copier.Copied;
            }
            if (dstFd >= 0 && status.IsDirectory)
                throw new InvalidArgumentException("CannotCopyDirectoryToFile",
                    $"cannot copy directory \"{from.Describe(srcPath)}\" to \"{to.Describe(dstPath)}\": the destination is not a directory", dstPath);
            if (dstFd < 0 && -dstFd is not (Errno.ENOENT))
                throw to.OpenFailed(dstPath, dstFd, "CopyDestinationNotFound");
            if (dstFd < 0 && dstTrailing)
                throw new NotFoundException("CopyDestinationNotFound", $"destination directory \"{to.Describe(dstPath)}\" does not exist", dstPath);

            // DEST is a file to overwrite, or does not exist: write SRC as DEST's last component in DEST's parent.
            var parent = dst == "/" ? "/" : SecureJoin.Clean(dst[..dst.LastIndexOf('/')] + "/");
            parentFd = to.TryOpen(parent, NativeMethods.O_PATH | NativeMethods.O_DIRECTORY);
            if (parentFd < 0)
            {
                if (-parentFd is Errno.ENOENT or Errno.ENOTDIR)
                    throw to.IsContainer ? to.NotFound(parent, "CopyDestinationNotFound")
                        : new NotFoundException("CopyDestinationNotFound", $"destination directory \"{parent}\" does not exist", parent);
                throw to.OpenFailed(parent, parentFd, "CopyDestinationNotFound");
            }
            copier.CopyOpened(srcFd, status, parentFd, BaseName(dst), srcPath);
            return copier.Copied;
        }
        catch (SyscallException e) when (e.Errno == 30 /* EROFS */)
        {
            throw new EngineException(ErrorKind.FailedPrecondition, "ReadOnlyDestination",
                $"copying to {to.Describe(dstPath)}: the destination is on a read-only file system (a read-only volume or root): {e.Message}", dstPath, e);
        }
        finally
        {
            Fd.Close(parentFd);
            Fd.Close(dstFd);
            Fd.Close(srcFd);
        }
    }

    private static string BaseName(string cleanPath) => cleanPath == "/" ? "" : cleanPath[(cleanPath.LastIndexOf('/') + 1)..];
}
