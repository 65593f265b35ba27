using ContainerPS.Engine.Archive;
using ContainerPS.Engine.Errors;
using ContainerPS.Engine.Interop;
using ContainerPS.Engine.Store;
using ContainerPS.Runtime.Monitor;

namespace ContainerPS.Engine.Containers.Commit;

/// <summary>
/// docker export's mount: the container's root file system as a read-only overlay whose lowest
/// layers are the image's and whose top layer is the container's upper directory, used as one
/// more lower directory. With no upperdir and no workdir the overlay is read-only by
/// construction and never touches the container's own work directory, so it serves stopped and
/// running containers alike (for a running one the kernel logs that the upper directory is in use
/// by another mount; with index=off that is allowed).
/// </summary>
internal static class RootfsExport
{
    /// <summary>
    /// The mount(2) data for the export overlay: <c>lowerdir=&lt;upper&gt;:&lt;image layers&gt;</c>, the
    /// upper directory relative to <see cref="MountDescription.WorkingDirectory"/> like the layers
    /// (short options: the kernel caps them at one page). Options that only make sense with an
    /// upper directory are dropped.
    /// </summary>
    /// <exception cref="InvalidArgumentException">"InvalidRootfs": the description is not an overlay with a lowerdir.</exception>
    public static string MountData(MountDescription rootfs, string defaultUpperDir)
    {
        if (rootfs.Type != "overlay")
            throw new InvalidArgumentException("InvalidRootfs", $"the container's root file system is a {rootfs.Type} mount; export needs an overlay", rootfs.Type);
        string? lower = null, upper = null;
        var rest = new List<string>();
        foreach (var option in rootfs.Options)
        {
            if (option.StartsWith("lowerdir=", StringComparison.Ordinal)) lower = option["lowerdir=".Length..];
            else if (option.StartsWith("upperdir=", StringComparison.Ordinal)) upper = option["upperdir=".Length..];
            else if (option.StartsWith("workdir=", StringComparison.Ordinal) || option == "volatile") continue;
            else rest.Add(option);
        }
        if (string.IsNullOrEmpty(lower))
            throw new InvalidArgumentException("InvalidRootfs", "the container's overlay mount has no lowerdir", rootfs.Data);
        upper ??= defaultUpperDir;
        if (rootfs.WorkingDirectory is { } cwd && Path.IsPathRooted(upper)) upper = Path.GetRelativePath(cwd, upper);
        rest.Insert(0, "lowerdir=" + upper + ":" + lower);
        return string.Join(',', rest);
    }

    /// <summary>
    /// Runs on a thread that has its own mount namespace (see
    /// <see cref="Runtime.Spawning.Spawner.RunInNewNamespaces{T}"/>): makes every mount private so
    /// nothing propagates to the host, mounts the overlay on <paramref name="target"/>, writes the
    /// tree to <paramref name="output"/> and unmounts. Whatever is left mounted goes with the
    /// namespace when the thread ends.
    /// </summary>
    public static BlobInfo Write(string? workingDirectory, string data, string target, Stream output, CancellationToken cancellationToken)
    {
        if (NativeMethods.mount(null, "/", null, NativeMethods.MS_REC | NativeMethods.MS_PRIVATE, null) != 0)
            throw new SyscallException("mount", "/", Errno.Last, "--make-rprivate");
        // Relative lowerdirs resolve against the cwd, which is this thread's own (CLONE_NEWNS implies CLONE_FS).
        if (workingDirectory is not null && NativeMethods.chdir(workingDirectory) != 0)
            throw new SyscallException("chdir", workingDirectory, Errno.Last);
        if (NativeMethods.mount("overlay", target, "overlay", NativeMethods.MS_RDONLY | NativeMethods.MS_NOSUID | NativeMethods.MS_NODEV, data) != 0)
            throw new SyscallException("mount", target, Errno.Last, $"overlay ({data}) on");
        try
        {
            return new LayerDiffWriter().WriteTree(target, output, cancellationToken);
        }
        finally
        {
            NativeMethods.umount2(target, NativeMethods.MNT_DETACH);
        }
    }
}
