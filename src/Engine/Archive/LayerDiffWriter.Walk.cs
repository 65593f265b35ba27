using System.Formats.Tar;
using System.Text;
using ContainerPS.Engine.Errors;
using ContainerPS.Engine.Interop;
using Microsoft.Win32.SafeHandles;

namespace ContainerPS.Engine.Archive;

public sealed partial class LayerDiffWriter
{
    private const string WhiteoutPrefix = ".wh.";
    private const string OpaqueMarker = ".wh..wh..opq";
    private const string OverlayXattrPrefix = "trusted.overlay.";
    private const string OverlayOpaque = "trusted.overlay.opaque";
    private const string OverlayRedirect = "trusted.overlay.redirect";
    private const string OverlayMetacopy = "trusted.overlay.metacopy";

    /// <summary>One walk over one tree; iterative (an explicit stack), so a deep tree cannot overflow the thread's stack.</summary>
    private sealed unsafe class Walk
    {
        private readonly LayerDiffWriter _owner;
        private readonly PaxTarWriter _tar;
        private readonly string _root;
        private readonly bool _diff;
        private readonly CancellationToken _cancellationToken;

        /// <summary>First name written for each (device, inode) with more than one link: later names become hardlinks to it.</summary>
        private readonly Dictionary<(ulong Device, ulong Inode), string> _links = new();

        public Walk(LayerDiffWriter owner, PaxTarWriter tar, string root, bool diff, CancellationToken cancellationToken)
        {
            _owner = owner;
            _tar = tar;
            _root = root;
            _diff = diff;
            _cancellationToken = cancellationToken;
        }

        private sealed class Frame
        {
            public required int Fd { get; init; }
            public required string Relative { get; init; }
            public required string[] Names { get; init; }
            public int Next { get; set; }
        }

        public void Run()
        {
            var stack = new Stack<Frame>();
            try
            {
                var rootFd = NativeMethods.open(_root, NativeMethods.O_RDONLY | NativeMethods.O_DIRECTORY | NativeMethods.O_CLOEXEC, 0);
                if (rootFd < 0) throw Failed("", new SyscallException("open", _root, Errno.Last));
                stack.Push(new Frame { Fd = rootFd, Relative = "", Names = SafeList(rootFd, "") });
                while (stack.Count > 0)
                {
                    var frame = stack.Peek();
                    if (frame.Next == frame.Names.Length)
                    {
                        NativeMethods.close(frame.Fd);
                        stack.Pop();
                        continue;
                    }
                    _cancellationToken.ThrowIfCancellationRequested();
                    var name = frame.Names[frame.Next++];
                    var relative = frame.Relative.Length == 0 ? name : frame.Relative + "/" + name;
                    int child;
                    try
                    {
                        child = WriteEntry(frame.Fd, frame.Relative, name, relative);
                    }
                    catch (Exception e) when (e is SyscallException or IOException or UnauthorizedAccessException)
                    {
                        throw Failed(relative, e);
                    }
                    if (child >= 0) stack.Push(new Frame { Fd = child, Relative = relative, Names = SafeList(child, relative) });
                }
            }
            finally
            {
                while (stack.Count > 0) NativeMethods.close(stack.Pop().Fd);
            }
        }

        /// <summary>Writes one entry; returns the descriptor of a directory to descend into, else -1.</summary>
        private int WriteEntry(int parentFd, string parentRelative, string name, string relative)
        {
            var path = ChildPath(parentFd, name);
            if (!FileSystem.TryLStat(path, out var status))
            {
                // Gone since the directory was listed (a live tree), or a name .NET could not
                // decode: the latter cannot be reopened and would silently go missing.
                if (name.Contains('\uFFFD'))
                    throw new ArchiveException("UnsupportedFileName", $"{_root}: \"{relative}\": the file name is not valid UTF-8, which .NET cannot reopen", _root, relative);
                return -1;
            }

            switch (status.Type)
            {
                case FileStatus.S_IFSOCK:
                    return -1; // moby skips sockets too: they are not files
                case FileStatus.S_IFCHR when _diff && status.RDevice == 0:
                    // An overlayfs whiteout. It may be a hardlink of the shared whiteout inode
                    // (Linux ≥ 5.8), so it is converted before any hardlink bookkeeping.
                    _tar.Write(new PaxTarWriter.Entry(Join(parentRelative, WhiteoutPrefix + name), TarEntryType.RegularFile,
                        0x180, status.Uid, status.Gid, 0, _owner.Clamp(status.Modified)), null, _cancellationToken);
                    return -1;
                case FileStatus.S_IFDIR:
                    return WriteDirectory(path, relative);
                case FileStatus.S_IFREG:
                    WriteFile(path, relative);
                    return -1;
            }

            if (TryWriteHardLink(status, relative)) return -1;
            var xattrs = Xattrs(path, relative, isDirectory: false);
            var mtime = _owner.Clamp(status.Modified);
            PaxTarWriter.Entry entry;
            switch (status.Type)
            {
                case FileStatus.S_IFLNK:
                    var target = new FileInfo(path).LinkTarget;
                    if (target is null) return -1; // replaced since lstat
                    entry = new(relative, TarEntryType.SymbolicLink, 0x1FF, status.Uid, status.Gid, 0, mtime, LinkName: target, Xattrs: xattrs);
                    break;
                case FileStatus.S_IFCHR or FileStatus.S_IFBLK:
                    entry = new(relative, status.IsCharacterDevice ? TarEntryType.CharacterDevice : TarEntryType.BlockDevice,
                        status.Permissions, status.Uid, status.Gid, 0, mtime, DeviceMajor: status.RDeviceMajor, DeviceMinor: status.RDeviceMinor, Xattrs: xattrs);
                    break;
                case FileStatus.S_IFIFO:
                    entry = new(relative, TarEntryType.Fifo, status.Permissions, status.Uid, status.Gid, 0, mtime, Xattrs: xattrs);
                    break;
                default:
                    return -1;
            }
            _tar.Write(entry, null, _cancellationToken);
            return -1;
        }

        private int WriteDirectory(string path, string relative)
        {
            var fd = NativeMethods.open(path, NativeMethods.O_RDONLY | NativeMethods.O_DIRECTORY | NativeMethods.O_NOFOLLOW | NativeMethods.O_CLOEXEC, 0);
            if (fd < 0)
            {
                var errno = Errno.Last;
                // Replaced by something else (ELOOP: a symlink, ENOTDIR) or removed since lstat.
                if (errno is Errno.ENOENT or Errno.ELOOP or Errno.ENOTDIR) return -1;
                throw new SyscallException("open", relative, errno);
            }
            try
            {
                var status = FStat(fd, relative);
                var xattrs = Xattrs(path, relative, isDirectory: true);
                var opaque = false;
                if (_diff)
                {
                    var value = FileSystem.GetXattr(path, OverlayOpaque);
                    opaque = value is [(byte)'y'];
                }
                var mtime = _owner.Clamp(status.Modified);
                _tar.Write(new PaxTarWriter.Entry(relative + "/", TarEntryType.Directory, status.Permissions, status.Uid, status.Gid, 0, mtime, Xattrs: xattrs),
                    null, _cancellationToken);
                if (opaque)
                {
                    // moby's overlay converter: an empty file with the directory's owner and permissions.
                    _tar.Write(new PaxTarWriter.Entry(relative + "/" + OpaqueMarker, TarEntryType.RegularFile, status.Permissions & 0x1FF,
                        status.Uid, status.Gid, 0, mtime), null, _cancellationToken);
                }
                return fd;
            }
            catch
            {
                NativeMethods.close(fd);
                throw;
            }
        }

        private void WriteFile(string path, string relative)
        {
            // O_NONBLOCK: if the name became a fifo since lstat, open must not wait for a writer.
            var fd = NativeMethods.open(path, NativeMethods.O_RDONLY | NativeMethods.O_NOFOLLOW | NativeMethods.O_NONBLOCK | NativeMethods.O_CLOEXEC, 0);
            if (fd < 0)
            {
                var errno = Errno.Last;
                if (errno is Errno.ENOENT or Errno.ELOOP or 6 /* ENXIO: a socket or fifo now */) return;
                throw new SyscallException("open", relative, errno);
            }
            using var handle = new SafeFileHandle(fd, ownsHandle: true);
            var status = FStat(fd, relative);
            if (!status.IsRegularFile) return; // replaced since lstat
            if (TryWriteHardLink(status, relative)) return;
            var xattrs = Xattrs(path, relative, isDirectory: false);
            using var data = new FileStream(handle, FileAccess.Read, bufferSize: 0);
            _tar.Write(new PaxTarWriter.Entry(relative, TarEntryType.RegularFile, status.Permissions, status.Uid, status.Gid,
                status.Size, _owner.Clamp(status.Modified), Xattrs: xattrs), data, _cancellationToken);
        }

        private bool TryWriteHardLink(FileStatus status, string relative)
        {
            if (status.LinkCount <= 1) return false;
            var key = (status.Device, status.Inode);
            if (!_links.TryGetValue(key, out var first))
            {
                _links[key] = relative;
                return false;
            }
            _tar.Write(new PaxTarWriter.Entry(relative, TarEntryType.HardLink, status.Permissions, status.Uid, status.Gid, 0,
                _owner.Clamp(status.Modified), LinkName: first), null, _cancellationToken);
            return true;
        }

        /// <summary>The xattrs to archive, sorted by name; overlayfs' own are left out (and checked in diff mode).</summary>
        private IReadOnlyList<KeyValuePair<string, byte[]>>? Xattrs(string path, string relative, bool isDirectory)
        {
            var names = FileSystem.ListXattrs(path);
            if (names.Count == 0) return null;
            List<KeyValuePair<string, byte[]>>? result = null;
            foreach (var xattr in names.Order(StringComparer.Ordinal))
            {
                if (xattr.StartsWith(OverlayXattrPrefix, StringComparison.Ordinal))
                {
                    if (_diff && isDirectory && xattr == OverlayRedirect)
                        throw Unsupported(relative, "redirect_dir (a renamed directory whose content is in a lower layer)");
                    if (_diff && xattr == OverlayMetacopy)
                        throw Unsupported(relative, "metacopy (its data is in a lower layer)");
                    continue;
                }
                var value = FileSystem.GetXattr(path, xattr);
                if (value is null) continue; // removed meanwhile
                (result ??= new()).Add(new(xattr, value));
            }
            return result;
        }

        private ArchiveException Unsupported(string relative, string feature) =>
            new("UnsupportedOverlayFeature",
                $"{_root}: \"{relative}\" uses the overlayfs feature {feature}, which a layer diff cannot be made from; mount overlays with redirect_dir=off,metacopy=off",
                _root, relative);

        private EngineException Failed(string relative, Exception inner) =>
            new(ErrorKind.Internal, "LayerWriteFailed",
                $"archiving {_root}{(relative.Length > 0 ? "/" + relative : "")}: {inner.Message}", relative.Length > 0 ? relative : _root, inner);

        /// <summary>The names in a directory (not "." and ".."), in byte order of their UTF-8 encoding, as Go sorts.</summary>
        private string[] SafeList(int fd, string relative)
        {
            try
            {
                var names = Directory.GetFileSystemEntries($"/proc/self/fd/{fd}").Select(p => Path.GetFileName(p)).ToArray();
                Array.Sort(names, CompareUtf8);
                return names;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                NativeMethods.close(fd);
                throw Failed(relative, e);
            }
        }

        private static string ChildPath(int dirFd, string name) => $"/proc/self/fd/{dirFd}/{name}";

        private static string Join(string parent, string name) => parent.Length == 0 ? name : parent + "/" + name;

        private static FileStatus FStat(int fd, string relative)
        {
            Tmds.Linux.stat st;
            if (NativeMethods.fstat(fd, &st) != 0) throw new SyscallException("fstat", relative, Errno.Last);
            var modified = DateTimeOffset.FromUnixTimeSeconds(st.st_mtim.tv_sec).AddTicks((long)st.st_mtim.tv_nsec / 100);
            return new FileStatus((ushort)st.st_mode, st.st_uid, st.st_gid, st.st_size, st.st_dev, st.st_ino, st.st_nlink, st.st_rdev, modified);
        }

        private static int CompareUtf8(string? a, string? b)
        {
            var x = Encoding.UTF8.GetBytes(a ?? "");
            var y = Encoding.UTF8.GetBytes(b ?? "");
            return x.AsSpan().SequenceCompareTo(y);
        }
    }
}
