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
/// directories it was given. Hard links among the files copied stay hard links (docker cp's tar
/// stream carries them as link entries): the second name is linked to the file this copy made,
/// by the descriptor held on it, so a link can only ever point at a file inside the destination.
/// Dispose releases those descriptors.
/// </summary>
public sealed class TreeCopier : IDisposable
{
    /// <summary>
    /// Most first copies of multiply-linked files held open at once (one descriptor each, until
    /// all their names are seen); beyond it further such files are copied separately, so a tree
    /// whose links mostly point outside it cannot exhaust the process's descriptors.
    /// </summary>
    public const int MaxTrackedLinks = 4096;

    /// <summary>Source (device, inode) of a multiply-linked file → the copy's descriptor and how many names are still to come.</summary>
    private readonly Dictionary<(ulong Device, ulong Inode), (int Fd, ulong Remaining)> _links = new();

    /// <summary>Owner for every copied entry instead of the source's (docker cp without -a: the container's root).</summary>
    public (uint Uid, uint Gid)? Owner { get; init; }

    /// <summary>Copy extended attributes (except trusted.overlay.*).</summary>
    public bool Xattrs { get; init; } = true;

    public CancellationToken CancellationToken { get; init; }

    /// <summary>Entries copied so far (a hard link counts as one).</summary>
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
            case FileStatus.S_IFREG when status.LinkCount > 1:
                CopyLinkedFile(src, status, target, uid, gid, what);
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

    /// <summary>
    /// A file with more than one name: the first name met is copied and its copy held open; later
    /// names become hard links to that copy. Where a link cannot be made (another file system, e.g.
    /// a volume inside the destination: EXDEV; the file's link limit) the name is copied instead.
    /// </summary>
    private void CopyLinkedFile(int src, FileStatus status, string target, uint uid, uint gid, string what)
    {
        var key = (status.Device, status.Inode);
        if (_links.TryGetValue(key, out var first))
        {
            var errno = FileSystem.TryLinkOpened(first.Fd, target);
            if (errno is not (0 or Errno.EXDEV or Errno.EMLINK)) throw new SyscallException("linkat", target, errno);
            if (first.Remaining <= 1)
            {
                _links.Remove(key);
                Fd.Close(first.Fd);
            }
            else
            {
                _links[key] = (first.Fd, first.Remaining - 1);
            }
            if (errno == 0) return;
            CopyFile(src, status, target, uid, gid, what);
            return;
        }
        var copy = CopyFile(src, status, target, uid, gid, what, keepOpen: _links.Count < MaxTrackedLinks);
        if (copy >= 0) _links[key] = (copy, status.LinkCount - 1);
    }

    /// <summary>Copies a regular file; with <paramref name="keepOpen"/> returns an O_PATH descriptor of the copy (else -1).</summary>
    private int CopyFile(int src, FileStatus status, string target, uint uid, uint gid, string what, bool keepOpen = false)
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
        if (!keepOpen) return -1;
        // Re-opened through the descriptor, not the name: the very file just written.
        var held = Fd.TryOpen(Fd.PathOf(to), NativeMethods.O_PATH);
        if (held < 0) throw new SyscallException("open", target, -held);
        return held;
    }

    /// <summary>Closes the descriptors held for hard links still expected.</summary>
    public void Dispose()
    {
        foreach (var (fd, _) in _links.Values) Fd.Close(fd);
        _links.Clear();
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
