using System.Buffers;
using System.Formats.Tar;
using System.Text;
using ContainerPS.Engine.Errors;
using ContainerPS.Engine.Interop;

namespace ContainerPS.Engine.Archive;

/// <summary>
/// Applies one OCI/Docker layer tar (already decompressed) to a directory, streaming entry by
/// entry: regular files, directories, symlinks, hardlinks, devices and fifos with numeric
/// owner, full mode (setuid/setgid/sticky), mtime and xattrs; whiteouts per
/// <see cref="WhiteoutMode"/>. Entries that would write outside the target are refused
/// (see <see cref="SafePath"/>).
/// </summary>
/// <remarks>
/// Follows the OCI image-spec (layer.md) and the behaviour of containerd's archive/tar.go and
/// moby's pkg/archive: an existing path is replaced unless both it and the entry are
/// directories (then only the metadata changes); missing parents are created 0755; directory
/// mtimes are set last, deepest first, because adding children changes them. The tree is
/// left partly written when extraction fails: callers extract into a temporary directory.
/// </remarks>
public sealed partial class LayerExtractor
{
    private const string WhiteoutPrefix = ".wh.";
    private const string WhiteoutMetaPrefix = ".wh..wh.";
    private const string OpaqueMarker = ".wh..wh..opq";
    private const string OverlayOpaqueXattr = "trusted.overlay.opaque";
    private const int CopyBufferSize = 128 * 1024;
    private const uint ImplicitDirectoryMode = 0x1ED; // 0755

    public LayerExtractor(WhiteoutMode mode)
    {
        if (!Enum.IsDefined(mode)) throw new ArgumentOutOfRangeException(nameof(mode), mode, null);
        Mode = mode;
    }

    public WhiteoutMode Mode { get; }

    /// <summary>
    /// Reads the uncompressed layer tar <paramref name="tar"/> to its end-of-archive marker and
    /// applies it to <paramref name="targetDir"/> (created if missing). The stream is not
    /// disposed and is not read past the end-of-archive marker.
    /// </summary>
    /// <param name="archiveName">Names the layer in error messages, e.g. "layer sha256:ab12...".</param>
    /// <exception cref="ArchiveException">
    /// ErrorId "UnsafeArchiveEntry": an entry or hardlink target is absolute, climbs above the
    /// target with "..", passes through a symlink, or is a hardlink to a path that does not
    /// exist; nothing is written outside the target. "InvalidArchiveEntry": an entry the engine
    /// cannot represent (unsupported type, invalid name, hardlink to a directory, a
    /// non-directory parent, an xattr value System.Formats.Tar could not decode).
    /// "InvalidArchive": the stream is not a valid tar or is truncated. "LayerExtractFailed": a
    /// system call failed; the inner exception is the <see cref="SyscallException"/> or
    /// <see cref="IOException"/>.
    /// </exception>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    public async Task<LayerExtractResult> ExtractAsync(Stream tar, string targetDir, string archiveName, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tar);
        ArgumentException.ThrowIfNullOrEmpty(targetDir);
        ArgumentNullException.ThrowIfNull(archiveName);

        Directory.CreateDirectory(targetDir);
        var buffer = ArrayPool<byte>.Shared.Rent(CopyBufferSize);
        try
        {
            var extraction = new Extraction(Mode, new SafePath(targetDir), archiveName, buffer);
            var reader = new TarReader(tar, leaveOpen: true);
            await using (reader.ConfigureAwait(false))
            {
                while (await extraction.NextAsync(reader, cancellationToken).ConfigureAwait(false) is { } entry)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    if (entry.EntryType == TarEntryType.GlobalExtendedAttributes) continue;
                    await extraction.ApplyEntryAsync(entry, cancellationToken).ConfigureAwait(false);
                }
            }
            extraction.Finish();
            return new LayerExtractResult(extraction.Entries, extraction.Bytes);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>The state of one extraction; the extractor itself is stateless and reusable.</summary>
    private sealed partial class Extraction
    {
        private readonly WhiteoutMode _mode;
        private readonly SafePath _root;
        private readonly string _archive;
        private readonly byte[] _buffer;

        /// <summary>Relative paths this layer wrote (entries and the parents made for them): an opaque marker in Apply mode keeps these.</summary>
        private readonly HashSet<string> _written = new(StringComparer.Ordinal);

        /// <summary>Directory mtimes, applied in <see cref="Finish"/>; the last entry for a path wins.</summary>
        private readonly Dictionary<string, DateTimeOffset> _directoryTimes = new(StringComparer.Ordinal);

        public Extraction(WhiteoutMode mode, SafePath root, string archive, byte[] buffer)
        {
            _mode = mode;
            _root = root;
            _archive = archive;
            _buffer = buffer;
        }

        public long Entries { get; private set; }
        public long Bytes { get; private set; }

        public async ValueTask<TarEntry?> NextAsync(TarReader reader, CancellationToken cancellationToken)
        {
            try
            {
                // copyData: false streams the data of each entry straight from the input.
                return await reader.GetNextEntryAsync(copyData: false, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is InvalidDataException or EndOfStreamException or FormatException)
            {
                throw new ArchiveException("InvalidArchive", $"{_archive}: not a valid tar stream (corrupt or truncated): {e.Message}", _archive, null, e);
            }
        }

        public async ValueTask ApplyEntryAsync(TarEntry entry, CancellationToken cancellationToken)
        {
            Entries++;
            try
            {
                await ApplyAsync(entry, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is EndOfStreamException or InvalidDataException)
            {
                throw new ArchiveException("InvalidArchive", $"{_archive}: entry \"{entry.Name}\": archive is corrupt or truncated: {e.Message}", _archive, entry.Name, e);
            }
            catch (Exception e) when (e is SyscallException or IOException or UnauthorizedAccessException)
            {
                throw new ArchiveException("LayerExtractFailed", $"{_archive}: entry \"{entry.Name}\": {e.Message}", _archive, entry.Name, e);
            }
        }

        private async ValueTask ApplyAsync(TarEntry entry, CancellationToken cancellationToken)
        {
            var name = entry.Name;
            var error = SafePath.Normalize(name, out var relative);
            if (error != SafePathError.None) throw Refused(error, name);

            var slash = relative.LastIndexOf('/');
            var parent = slash < 0 ? "" : relative[..slash];
            var baseName = relative[(slash + 1)..];

            // AUFS metadata at the top (.wh..wh.plnk/..., .wh..wh.aufs) is never part of the
            // tree; Docker skips it the same way. Hardlinks into .wh..wh.plnk are not resolved.
            if (relative.StartsWith(WhiteoutMetaPrefix, StringComparison.Ordinal) && relative != OpaqueMarker) return;

            if (baseName.StartsWith(WhiteoutPrefix, StringComparison.Ordinal))
            {
                // Whiteout entries are instructions, never files of the tree.
                if (baseName == OpaqueMarker) ApplyOpaque(parent, name);
                else if (baseName.StartsWith(WhiteoutMetaPrefix, StringComparison.Ordinal)) { } // other AUFS metadata: skipped
                else ApplyWhiteout(parent, baseName[WhiteoutPrefix.Length..], name, entry);
                return;
            }

            var type = entry.EntryType;
            var isDirectory = type == TarEntryType.Directory;
            if (!IsSupported(type)) throw Invalid(name, $"has unsupported type {type}");

            if (relative.Length == 0)
            {
                // "./" describes the target directory itself: its metadata becomes that of "/".
                if (!isDirectory) throw Invalid(name, "names the target directory itself but is not a directory");
                ApplyMetadata(_root.Root, relative, entry);
                return;
            }

            // Validate a hardlink completely before anything is removed or created.
            var linkTarget = type == TarEntryType.HardLink ? ResolveHardLinkTarget(entry) : null;

            error = _root.CreateParents(relative, ImplicitDirectoryMode, Written);
            if (error != SafePathError.None) throw Refused(error, name);
            var full = _root.FullPath(relative);

            if (FileSystem.TryLStat(full, out var existing))
            {
                if (linkTarget == full)
                {
                    _written.Add(relative); // a hardlink to itself: nothing to do
                    return;
                }
                // Keep an existing directory when the entry is one too (only its metadata is
                // updated, its children stay); replace anything else. RemoveAll never follows a
                // symlink, so an existing link is replaced, not written through.
                if (!(isDirectory && existing.IsDirectory)) FileSystem.RemoveAll(full);
            }

            switch (type)
            {
                case TarEntryType.Directory:
                    if (!existing.IsDirectory) FileSystem.MakeDirectory(full, ImplicitDirectoryMode);
                    break;
                case TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile:
                    Bytes += await WriteFileAsync(full, entry, cancellationToken).ConfigureAwait(false);
                    break;
                case TarEntryType.SymbolicLink:
                    // The target is just data: it may point anywhere, because every later write
                    // checks its parents with lstat and never follows a link.
                    if (string.IsNullOrEmpty(entry.LinkName) || entry.LinkName.Contains('\0')) throw Invalid(name, "is a symbolic link without a valid target");
                    FileSystem.SymLink(entry.LinkName, full);
                    break;
                case TarEntryType.HardLink:
                    FileSystem.HardLink(linkTarget!, full);
                    // The inode already has its owner, mode and times. Re-applying them would
                    // also chmod through a hardlink to a symlink (chmod follows links).
                    _written.Add(relative);
                    return;
                case TarEntryType.CharacterDevice or TarEntryType.BlockDevice:
                    var posix = (PosixTarEntry)entry; // V7 entries cannot be devices
                    var kind = type == TarEntryType.CharacterDevice ? FileStatus.S_IFCHR : FileStatus.S_IFBLK;
                    FileSystem.MakeNode(full, kind | 0x180, FileSystem.MakeDevice((uint)posix.DeviceMajor, (uint)posix.DeviceMinor));
                    break;
                case TarEntryType.Fifo:
                    FileSystem.MakeNode(full, FileStatus.S_IFIFO | 0x180, 0);
                    break;
            }
            _written.Add(relative);
            ApplyMetadata(full, relative, entry);
        }

        private static bool IsSupported(TarEntryType type) => type is TarEntryType.RegularFile or TarEntryType.V7RegularFile
            or TarEntryType.ContiguousFile or TarEntryType.Directory or TarEntryType.SymbolicLink or TarEntryType.HardLink
            or TarEntryType.CharacterDevice or TarEntryType.BlockDevice or TarEntryType.Fifo;

        private void Written(string relative) => _written.Add(relative);

        /// <summary>
        /// A hardlink target must name an existing non-directory inside the target, reached
        /// without symlinks: link(2) would otherwise pin a host file (/etc/shadow) inside the
        /// tree, where a later write or chmod of the link changes the host file.
        /// </summary>
        private string ResolveHardLinkTarget(TarEntry entry)
        {
            var name = entry.Name;
            var link = entry.LinkName;
            var error = SafePath.Normalize(link, out var relative);
            if (error == SafePathError.None && relative.Length == 0) throw Invalid(name, $"is a hardlink to the target directory itself (\"{link}\")");
            if (error == SafePathError.None) error = _root.CheckParents(relative);
            if (error != SafePathError.None) throw Refused(error, name, $"hardlink target \"{link}\" ");
            var full = _root.FullPath(relative);
            if (!FileSystem.TryLStat(full, out var status))
            {
                throw new ArchiveException("UnsafeArchiveEntry",
                    $"{_archive}: entry \"{name}\" is a hardlink to \"{link}\", which does not exist in the target directory", _archive, name);
            }
            if (status.IsDirectory) throw Invalid(name, $"is a hardlink to a directory (\"{link}\")");
            return full;
        }

        private async ValueTask<long> WriteFileAsync(string full, TarEntry entry, CancellationToken cancellationToken)
        {
            var options = new FileStreamOptions
            {
                // CreateNew is O_CREAT|O_EXCL: it never follows a symlink at the final component.
                Mode = FileMode.CreateNew,
                Access = FileAccess.Write,
                Share = FileShare.None,
                BufferSize = 0, // we copy through our own pooled buffer; the mode is set after chown
            };
            long total = 0;
            var file = new FileStream(full, options);
            await using (file.ConfigureAwait(false))
            {
                if (entry.DataStream is { } data)
                {
                    int read;
                    while ((read = await data.ReadAsync(_buffer, cancellationToken).ConfigureAwait(false)) > 0)
                    {
                        await file.WriteAsync(_buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                        total += read;
                    }
                }
            }
            if (total != entry.Length)
            {
                throw new ArchiveException("InvalidArchive",
                    $"{_archive}: entry \"{entry.Name}\": archive is truncated ({total} of {entry.Length} bytes)", _archive, entry.Name);
            }
            return total;
        }

        /// <summary>
        /// Owner, xattrs, mode, mtime — in that order: chown clears setuid/setgid and
        /// security.capability, so the xattrs and the mode come after it.
        /// </summary>
        private void ApplyMetadata(string full, string relative, TarEntry entry)
        {
            FileSystem.LChown(full, entry.Uid, entry.Gid);
            ApplyXattrs(full, entry);
            var type = entry.EntryType;
            // chmod follows symlinks and Linux has no lchmod: a link's own mode is meaningless.
            if (type != TarEntryType.SymbolicLink) FileSystem.Chmod(full, (uint)entry.Mode & 0xFFF);
            if (type == TarEntryType.Directory) _directoryTimes[relative] = entry.ModificationTime;
            else FileSystem.SetTimes(full, entry.ModificationTime);
        }

        private void ApplyXattrs(string full, TarEntry entry)
        {
            if (entry is not PaxTarEntry pax) return;
            foreach (var (key, value) in pax.ExtendedAttributes)
            {
                string name;
                byte[] data;
                if (key.StartsWith("SCHILY.xattr.", StringComparison.Ordinal))
                {
                    name = key["SCHILY.xattr.".Length..];
                    // System.Formats.Tar decodes PAX values as UTF-8 with replacement, so a binary
                    // value (e.g. a security.capability with byte 0x80) arrives already damaged.
                    // Refuse rather than store a wrong capability set.
                    if (value.Contains('\uFFFD'))
                        throw Invalid(entry.Name, $"has xattr {name} with a binary value that System.Formats.Tar cannot preserve");
                    data = Encoding.UTF8.GetBytes(value);
                }
                else if (key.StartsWith("LIBARCHIVE.xattr.", StringComparison.Ordinal))
                {
                    // libarchive: URL-encoded name, base64 value (binary-safe).
                    name = Uri.UnescapeDataString(key["LIBARCHIVE.xattr.".Length..]);
                    try { data = Convert.FromBase64String(value); }
                    catch (FormatException) { throw Invalid(entry.Name, $"has xattr {name} with an invalid base64 value"); }
                }
                else
                {
                    continue;
                }
                if (name.Length == 0 || name.Contains('\0')) throw Invalid(entry.Name, "has an xattr without a valid name");
                // Overlay metadata comes only from whiteout entries: a layer forging
                // trusted.overlay.* (opaque, redirect, metacopy) could alter what overlayfs shows.
                if (name.StartsWith("trusted.overlay.", StringComparison.Ordinal)) continue;
                try
                {
                    FileSystem.SetXattr(full, name, data);
                }
                catch (SyscallException e) when (name.StartsWith("security.", StringComparison.Ordinal) && e.Errno is Errno.EPERM or Errno.EOPNOTSUPP)
                {
                    // security.* (SELinux labels, IMA, capabilities) may be refused by the LSM or
                    // the file system; the content is still correct without it (Docker does the same).
                }
            }
        }

        /// <summary>Applies the deferred directory mtimes, deepest first, re-checking each path.</summary>
        public void Finish()
        {
            foreach (var (relative, time) in _directoryTimes.OrderByDescending(p => Depth(p.Key)))
            {
                // A later entry may have replaced the directory or one of its parents with a
                // symlink: re-check so utimensat never runs outside the target.
                if (_root.CheckDirectory(relative) != SafePathError.None) continue;
                var full = _root.FullPath(relative);
                if (FileSystem.TryLStat(full, out var status) && status.IsDirectory)
                {
                    try
                    {
                        FileSystem.SetTimes(full, time);
                    }
                    catch (SyscallException e)
                    {
                        throw new ArchiveException("LayerExtractFailed", $"{_archive}: entry \"{relative}/\": {e.Message}", _archive, relative, e);
                    }
                }
            }
        }

        private static int Depth(string relative) => relative.Length == 0 ? -1 : relative.AsSpan().Count('/');

        private ArchiveException Refused(SafePathError error, string name, string what = "")
        {
            var id = error is SafePathError.Absolute or SafePathError.EscapesRoot or SafePathError.ThroughSymlink
                ? "UnsafeArchiveEntry"
                : "InvalidArchiveEntry";
            return new ArchiveException(id, $"{_archive}: entry \"{name}\" {what}{SafePath.Describe(error)}", _archive, name);
        }

        private ArchiveException Invalid(string name, string what) =>
            new("InvalidArchiveEntry", $"{_archive}: entry \"{name}\" {what}", _archive, name);
    }
}
