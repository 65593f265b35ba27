using ContainerPS.Engine.Errors;
using ContainerPS.Engine.Interop;
using Microsoft.Win32.SafeHandles;

namespace ContainerPS.Engine.Files;

/// <summary>
/// Copies file trees between two open directories, keeping modes, owners, symlinks, device
/// nodes, mtimes and xattrs (docker cp, volume copy-up). Everything is done relative to open
/// descriptors: each name is looked up in its already-open parent without following a symlink
/// in the last component (O_NOFOLLOW, lstat, lchown), and modes and owners are set through the
/// new file's own descriptor. So a symlink planted by a container — even one swapped in while
/// the copy runs — is copied as a link and never written through: the copy cannot leave the
/// directories it was given.
/// </summary>
public sealed class TreeCopier
{
    /// <summary>Owner for every copied entry instead of the source's (docker cp without -a: the container's root).</summary>
    public (uint Uid, uint Gid)? Owner { get; init; }

    /// <summary>Copy extended attributes (except trusted.overlay.*).</summary>
    public bool Xattrs { get; init; } = true;

    public CancellationToken CancellationToken { get; init; }

    /// <summary>Entries copied so far. Hardlinked files are copied as separate files.</summary>
    public int Copied { get; private set; }

    /// <summary>Copies the entry <paramref name="name"/> of directory <paramref name="srcDir"/> as <paramref name="dstName"/> in <paramref name="dstDir"/>.</summary>
    public void CopyEntry(int srcDir, string name, int dstDir, string dstName)
    {
        var path = Fd.Child(srcDir, name);
        var src = Fd.TryOpen(path, NativeMethods.O_PATH | NativeMethods.O_NOFOLLOW);
        if (src < 0)
        {
            if (-src == Errno.ENOENT) return; // removed since the directory was listed
            throw new SyscallException("open", name, -src);
        }
        try
        {
            CopyOpened(src, Fd.Stat(src, name), dstDir, dstName, name);
        }
        finally
        {
            Fd.Close(src);
        }
    }

    /// <summary>
    /// Copies what the O_PATH descriptor <paramref name="src"/> refers to (a directory with its
    /// content) as <paramref name="dstName"/> in <paramref name="dstDir"/>, merging into an
    /// existing directory and replacing an existing non-directory. A directory never replaces a
    /// non-directory nor the reverse (docker cp's NoOverwriteDirNonDir).
    /// </summary>
    public void CopyOpened(int src, FileStatus status, int dstDir, string dstName, string what)
    {
        CancellationToken.ThrowIfCancellationRequested();
        var target = Fd.Child(dstDir, dstName);
        var exists = FileSystem.TryLStat(target, out var existing);
        if (exists && existing.IsDirectory != status.IsDirectory)
        {
            throw new EngineException(ErrorKind.Conflict, status.IsDirectory ? "CannotOverwriteNonDirectory" : "CannotOverwriteDirectory",
                status.IsDirectory
                    ? $"cannot overwrite non-directory \"{dstName}\" with directory \"{what}\""
                    : $"cannot overwrite directory \"{dstName}\" with non-directory \"{what}\"", dstName);
        }
        if (exists && !status.IsDirectory) FileSystem.Unlink(target);

        var (uid, gid) = Owner ?? (status.Uid, status.Gid);
        switch (status.Type)
        {
            case FileStatus.S_IFDIR:
                CopyDirectory(src, status, exists, dstDir, dstName, uid, gid, what);
                break;
            case FileStatus.S_IFREG:
                CopyFile(src, status, target, uid, gid, what);
                break;
            case FileStatus.S_IFLNK:
                FileSystem.SymLink(Fd.ReadLink(src, what), target);
                FileSystem.LChown(target, (int)uid, (int)gid);
                break;
            case FileStatus.S_IFCHR or FileStatus.S_IFBLK or FileStatus.S_IFIFO:
                FileSystem.MakeNode(target, status.Mode, status.RDevice);
                FileSystem.LChown(target, (int)uid, (int)gid);
                SetNodeMode(dstDir, dstName, status.Permissions);
                break;
            default:
                return; // sockets are not files (moby skips them too)
        }
        Copied++;
    }

    /// <summary>Copies the content of directory <paramref name="srcDir"/> into directory <paramref name="dstDir"/> (docker cp's "dir/." source).</summary>
    public void CopyContents(int srcDir, int dstDir)
    {
        foreach (var name in List(srcDir)) CopyEntry(srcDir, name, dstDir, name);
    }

    /// <summary>The names in an open directory.</summary>
    public static string[] List(int dirFd) =>
        Directory.GetFileSystemEntries(Fd.PathOf(dirFd)).Select(p => Path.GetFileName(p)).Order(StringComparer.Ordinal).ToArray();

    private void CopyDirectory(int src, FileStatus status, bool exists, int dstDir, string dstName, uint uid, uint gid, string what)
    {
        var target = Fd.Child(dstDir, dstName);
        if (!exists) FileSystem.MakeDirectory(target, 0x1C0);
        var from = Fd.TryOpen(Fd.PathOf(src), NativeMethods.O_RDONLY | NativeMethods.O_DIRECTORY);
        if (from < 0) throw new SyscallException("open", what, -from);
        try
        {
            // O_NOFOLLOW: if the name was swapped for a symlink since mkdir, this fails (ELOOP) instead of following it.
            var to = Fd.TryOpen(target, NativeMethods.O_RDONLY | NativeMethods.O_DIRECTORY | NativeMethods.O_NOFOLLOW);
            if (to < 0) throw new SyscallException("open", dstName, -to);
            try
            {
                CopyContents(from, to);
                Fd.SetOwnerAndMode(to, uid, gid, status.Permissions, dstName);
                if (Xattrs) Fd.CopyXattrs(from, to, dstName);
                Fd.SetModified(to, status.Modified, dstName);
            }
            finally
            {
                Fd.Close(to);
            }
        }
        finally
        {
            Fd.Close(from);
        }
    }

    private void CopyFile(int src, FileStatus status, string target, uint uid, uint gid, string what)
    {
        // O_NONBLOCK: the name is a regular file by fstat, but must not hang if that changed.
        var from = Fd.TryOpen(Fd.PathOf(src), NativeMethods.O_RDONLY | NativeMethods.O_NONBLOCK);
        if (from < 0) throw new SyscallException("open", what, -from);
        using var input = new FileStream(new SafeFileHandle(from, ownsHandle: true), FileAccess.Read, bufferSize: 0);
        var to = Fd.TryOpen(target, NativeMethods.O_WRONLY_CREAT_EXCL | NativeMethods.O_NOFOLLOW, 0x180);
        if (to < 0) throw new SyscallException("open", target, -to);
        using var output = new FileStream(new SafeFileHandle(to, ownsHandle: true), FileAccess.Write, bufferSize: 0);
        input.CopyTo(output, 1 << 16);
        Fd.SetOwnerAndMode(to, uid, gid, status.Permissions, what);
        if (Xattrs) Fd.CopyXattrs(from, to, what);
        Fd.SetModified(to, status.Modified, what);
    }

    /// <summary>chmod of a device node or fifo through an O_PATH descriptor of it (never through a symlink swapped in by name).</summary>
    private static void SetNodeMode(int dstDir, string name, uint permissions)
    {
        var node = Fd.TryOpen(Fd.Child(dstDir, name), NativeMethods.O_PATH | NativeMethods.O_NOFOLLOW);
        if (node < 0) throw new SyscallException("open", name, -node);
        try
        {
            if (Fd.Stat(node, name).IsSymbolicLink) return;
            FileSystem.Chmod(Fd.PathOf(node), permissions);
        }
        finally
        {
            Fd.Close(node);
        }
    }
}
