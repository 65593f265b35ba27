using ContainerPS.Engine.Containers.Commit;
using ContainerPS.Engine.Errors;
using ContainerPS.Runtime.IO;

namespace ContainerPS.Engine.Containers;

public sealed partial class ContainerManager
{
    /// <summary>
    /// docker export: writes the container's whole flattened file system (image layers and its
    /// changes, whiteouts applied) to <paramref name="output"/> as an uncompressed tar, for
    /// stopped and running containers (a running one is not paused, as in Docker). The root file
    /// system is mounted read-only in a private mount namespace of one thread, which the host
    /// never sees; volumes and the runtime's mounts (/proc, /sys, /dev, /etc/hosts...) are not
    /// part of it. The stream is flushed, not closed.
    /// </summary>
    /// <exception cref="NotFoundException">"ContainerNotFound"; "RootfsNotFound" when the container's files are gone.</exception>
    /// <exception cref="SyscallException">The private namespace or the overlay mount could not be made.</exception>
    /// <exception cref="EngineException">"LayerWriteFailed": reading the file system failed; "ExportNamespaceFailed".</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    public async Task ExportAsync(string nameOrId, Stream output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(output);
        var record = Resolve(nameOrId);
        var rootfs = ReadRootfsDescription(record);
        var data = RootfsExport.MountData(rootfs, System.IO.Path.Combine(DirOf(record.Id), "diff"));
        cancellationToken.ThrowIfCancellationRequested();
        await PrivateRootfs.RunAsync(rootfs.WorkingDirectory, data, readOnly: true,
            (_, target) => new Archive.LayerDiffWriter().WriteTree(target, output, cancellationToken),
            $"cannot export container {record.Name}", "ExportNamespaceFailed").ConfigureAwait(false);
    }

    /// <summary>
    /// <see cref="ExportAsync(string, Stream, CancellationToken)"/> to a file, written beside
    /// <paramref name="path"/> and renamed over it when complete: a failed or cancelled export
    /// leaves no partial file (and an existing file untouched).
    /// </summary>
    /// <exception cref="NotFoundException">"ContainerNotFound"; "DirectoryNotFound" when the file's directory does not exist.</exception>
    public async Task ExportAsync(string nameOrId, string path, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        Resolve(nameOrId); // an unknown container creates no file
        var full = System.IO.Path.GetFullPath(path);
        var dir = System.IO.Path.GetDirectoryName(full)!;
        if (!Directory.Exists(dir)) throw new NotFoundException("DirectoryNotFound", $"{dir}: no such directory", dir);
        var temp = System.IO.Path.Combine(dir, AtomicFile.TempPrefix + System.IO.Path.GetFileName(full) + "-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            await using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20))
            {
                await ExportAsync(nameOrId, file, cancellationToken).ConfigureAwait(false);
                file.Flush(flushToDisk: true);
            }
            File.Move(temp, full, overwrite: true);
        }
        catch
        {
            AtomicFile.TryDelete(temp);
            throw;
        }
    }
}
