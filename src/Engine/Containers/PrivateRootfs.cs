using ContainerPS.Engine.Errors;
using ContainerPS.Engine.Interop;
using ContainerPS.Runtime.Spawning;

namespace ContainerPS.Engine.Containers;

/// <summary>
/// Mounts a container's (or an image's) overlay root file system where only one thread sees it:
/// the thread unshares its mount namespace, makes every mount private (nothing propagates to the
/// host), mounts the overlay on a temporary directory and runs the work there. Used by volume
/// copy-up (read-only, the image's layers) and docker cp on stopped containers (read-write, with
/// the container's upper directory). Whatever is left mounted goes with the namespace when the
/// thread ends: no mount can leak onto the host, even on a crash.
/// </summary>
internal static class PrivateRootfs
{
    /// <summary>
    /// Runs <paramref name="work"/> with a descriptor (O_PATH) of the mounted root, on a
    /// dedicated thread in its own mount namespace.
    /// </summary>
    /// <param name="workingDirectory">Relative lowerdirs resolve against it (the layers directory).</param>
    /// <param name="data">mount(2) data of the overlay.</param>
    /// <exception cref="EngineException">"PrivateMountFailed": no private namespace (needs root or CAP_SYS_ADMIN).</exception>
    /// <param name="work">Gets the root's descriptor and the temporary mount point's path (for tools that want a path).</param>
    /// <param name="errorId">The ErrorId when no private namespace can be made.</param>
    public static Task<T> RunAsync<T>(string? workingDirectory, string data, bool readOnly, Func<int, string, T> work, string what, string errorId = "PrivateMountFailed") =>
        Task.Factory.StartNew(() => Run(workingDirectory, data, readOnly, work, what, errorId),
            CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    /// <summary><see cref="RunAsync{T}"/>, waiting for the namespace's thread.</summary>
    public static T Run<T>(string? workingDirectory, string data, bool readOnly, Func<int, string, T> work, string what, string errorId = "PrivateMountFailed")
    {
        var target = Directory.CreateTempSubdirectory("containerps-mnt-").FullName;
        try
        {
            return Spawner.RunInNewNamespaces(NativeMethods.CLONE_NEWNS, () => Mounted(workingDirectory, data, readOnly, target, work));
        }
        catch (SpawnException e)
        {
            throw new EngineException(ErrorKind.FailedPrecondition, errorId,
                $"{what}: a private mount namespace is needed (root or CAP_SYS_ADMIN): {e.Message}", what, e);
        }
        finally
        {
            try { Directory.Delete(target); }
            catch (IOException) { /* still busy: an empty directory in the temp dir is all that is left */ }
        }
    }

    private static T Mounted<T>(string? workingDirectory, string data, bool readOnly, string target, Func<int, string, T> work)
    {
        if (NativeMethods.mount(null, "/", null, NativeMethods.MS_REC | NativeMethods.MS_PRIVATE, null) != 0)
            throw new SyscallException("mount", "/", Errno.Last, "--make-rprivate");
        // Relative lowerdirs resolve against the cwd, which is this thread's own (CLONE_NEWNS implies CLONE_FS).
        if (workingDirectory is not null && NativeMethods.chdir(workingDirectory) != 0)
            throw new SyscallException("chdir", workingDirectory, Errno.Last);
        var flags = NativeMethods.MS_NOSUID | NativeMethods.MS_NODEV | (readOnly ? NativeMethods.MS_RDONLY : 0);
        if (NativeMethods.mount("overlay", target, "overlay", flags, data) != 0)
            throw new SyscallException("mount", target, Errno.Last, $"overlay ({data}) on");
        var root = -1;
        try
        {
            root = Fd.OpenAt2(-100, target, NativeMethods.O_PATH | NativeMethods.O_DIRECTORY, inRoot: false);
            return work(root, target);
        }
        finally
        {
            Fd.Close(root);
            NativeMethods.umount2(target, NativeMethods.MNT_DETACH);
        }
    }

    /// <summary>
    /// Bind-mounts <paramref name="source"/> over <paramref name="destination"/> inside the mounted
    /// root (on the namespace's thread): the destination is resolved in the root with openat2 and
    /// mounted through its descriptor, so a symlink in the container cannot redirect the mount.
    /// A missing destination directory is created (docker creates mount points at start as well).
    /// </summary>
    public static void BindInto(int root, string source, string destination, bool readOnly)
    {
        var isDir = Directory.Exists(source);
        var fd = Fd.TryOpenAt2(root, destination, NativeMethods.O_PATH, inRoot: true);
        if (fd == -Errno.ENOENT)
        {
            MakeDirectories(root, destination, isDir);
            fd = Fd.OpenAt2(root, destination, NativeMethods.O_PATH, inRoot: true);
        }
        else if (fd < 0)
        {
            throw new SyscallException("openat2", destination, -fd);
        }
        try
        {
            var at = Fd.PathOf(fd);
            if (NativeMethods.mount(source, at, null, NativeMethods.MS_BIND | NativeMethods.MS_REC, null) != 0)
                throw new SyscallException("mount", destination, Errno.Last, $"bind {source} on");
            if (readOnly)
            {
                // The descriptor names the directory under the new mount: the remount needs the mount's own root.
                var mounted = Fd.OpenAt2(root, destination, NativeMethods.O_PATH, inRoot: true);
                try
                {
                    if (NativeMethods.mount(null, Fd.PathOf(mounted), null, NativeMethods.MS_BIND | NativeMethods.MS_REMOUNT | NativeMethods.MS_RDONLY, null) != 0)
                        throw new SyscallException("mount", destination, Errno.Last, "remount read-only");
                }
                finally
                {
                    Fd.Close(mounted);
                }
            }
        }
        finally
        {
            Fd.Close(fd);
        }
    }

    /// <summary>mkdir -p inside the root, one component at a time through descriptors (never following a symlink by name).</summary>
    private static void MakeDirectories(int root, string path, bool lastIsDirectory)
    {
        var parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var dir = Fd.OpenAt2(root, "/", NativeMethods.O_PATH | NativeMethods.O_DIRECTORY, inRoot: true);
        try
        {
            for (var i = 0; i < parts.Length; i++)
            {
                var last = i == parts.Length - 1;
                var child = Fd.Child(dir, parts[i]);
                if (!FileSystem.TryLStat(child, out _))
                {
                    if (last && !lastIsDirectory) File.WriteAllBytes(child, Array.Empty<byte>());
                    else FileSystem.MakeDirectory(child, 0x1ED);
                }
                if (last) break;
                // Resolve what is there now in the root (a symlink is followed inside it, never outside).
                var next = Fd.OpenAt2(root, "/" + string.Join('/', parts[..(i + 1)]), NativeMethods.O_PATH | NativeMethods.O_DIRECTORY, inRoot: true);
                Fd.Close(dir);
                dir = next;
            }
        }
        finally
        {
            Fd.Close(dir);
        }
    }
}
