using System.Globalization;
using ContainerPS.Engine.Errors;
using ContainerPS.Engine.Store;

namespace ContainerPS.Engine.Archive;

/// <summary>
/// Writes a directory tree as a reproducible tar: an overlayfs upper directory as an OCI/Docker
/// layer diff (commit, and the Dockerfile builder's RUN steps), or a whole root file system
/// (export). The inverse of <see cref="LayerExtractor"/>.
/// </summary>
/// <remarks>
/// <para>What goes in (moby pkg/archive with its overlay whiteout converter, the reference for
/// layer diffs): regular files, directories, symlinks, hardlinks (a second name of an inode
/// already written becomes a hardlink entry, as moby does for every non-directory), character and
/// block devices and fifos, with numeric uid/gid, the permission bits including
/// setuid/setgid/sticky, whole-second mtimes, and every xattr except <c>trusted.overlay.*</c> as
/// PAX <c>SCHILY.xattr.*</c> records. Sockets are skipped (they cannot be archived). The root
/// directory itself is not an entry, as with <c>docker export</c> and moby's diffs.</para>
/// <para>Diff mode converts overlayfs' own whiteouts to the OCI ones
/// (Documentation/filesystems/overlayfs.rst → image-spec layer.md): a character device 0:0
/// <c>x</c> becomes an empty file <c>.wh.x</c> (mode 0600, the device's owner and mtime), and a
/// directory with <c>trusted.overlay.opaque=y</c> is written followed by
/// <c>dir/.wh..wh..opq</c>. Overlay features that leave content outside the upper directory
/// (<c>redirect_dir</c>, <c>metacopy</c>) cannot be turned into a diff from the upper directory
/// alone and are refused.</para>
/// <para>Order is Go's filepath.WalkDir (moby's): depth first, each directory's names in
/// byte order, a directory before its children. With <see cref="SourceDateEpoch"/> every mtime
/// later than it is clamped to it (BuildKit's rewrite-timestamp), so rebuilding the same tree
/// gives the same diff ID.</para>
/// <para>The walk holds a descriptor of each directory on the way down and reaches children only
/// through it (<c>/proc/self/fd/N/name</c>, final component never followed; directories and files
/// opened with O_NOFOLLOW), so a running container that swaps a directory for a symlink while it
/// is archived cannot make the walk read host files (the docker cp race, CVE-2018-15664).</para>
/// </remarks>
public sealed partial class LayerDiffWriter
{
    /// <summary>The variable reproducible builds set to the commit time of their sources (reproducible-builds.org).</summary>
    public const string SourceDateEpochVariable = "SOURCE_DATE_EPOCH";

    /// <summary>When set, mtimes later than this are written as this time.</summary>
    public DateTimeOffset? SourceDateEpoch { get; init; }

    /// <summary>$SOURCE_DATE_EPOCH as a time; null when the variable is unset or empty.</summary>
    /// <exception cref="InvalidArgumentException">The variable is set but is not a whole number of seconds since 1970.</exception>
    public static DateTimeOffset? SourceDateEpochFromEnvironment() =>
        ParseSourceDateEpoch(Environment.GetEnvironmentVariable(SourceDateEpochVariable));

    /// <summary>A SOURCE_DATE_EPOCH value as a time; null for null or blank.</summary>
    /// <exception cref="InvalidArgumentException">Not a whole number of seconds since 1970.</exception>
    public static DateTimeOffset? ParseSourceDateEpoch(string? value)
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        if (!long.TryParse(value.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) || seconds > 253402300799)
            throw new InvalidArgumentException("InvalidSourceDateEpoch",
                $"{SourceDateEpochVariable}=\"{value}\" is not a number of seconds since 1970-01-01", value);
        return DateTimeOffset.FromUnixTimeSeconds(seconds);
    }

    /// <summary>
    /// Writes the overlay upper directory <paramref name="upperDir"/> to <paramref name="output"/> as
    /// an uncompressed layer tar with OCI whiteouts, and returns its digest (the layer's diff ID) and
    /// size. The stream is flushed, not closed. An unchanged upper directory gives the empty tar
    /// (1024 zero bytes), which Docker does not add as a layer.
    /// </summary>
    /// <exception cref="ArchiveException">"UnsupportedOverlayFeature": the upper directory uses redirect_dir or metacopy.</exception>
    /// <exception cref="EngineException">"LayerWriteFailed": reading the tree failed (the inner exception says why).</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    public Task<BlobInfo> WriteDiffAsync(string upperDir, Stream output, CancellationToken cancellationToken = default) =>
        Task.Run(() => WriteDiff(upperDir, output, cancellationToken), cancellationToken);

    /// <summary>Synchronous <see cref="WriteDiffAsync"/>: the walk runs on the calling thread.</summary>
    public BlobInfo WriteDiff(string upperDir, Stream output, CancellationToken cancellationToken = default) =>
        Write(upperDir, output, diff: true, cancellationToken);

    /// <summary>
    /// Writes the whole tree under <paramref name="rootDir"/> as it is (no whiteout conversion),
    /// e.g. a container's mounted root file system for export.
    /// </summary>
    /// <exception cref="EngineException">"LayerWriteFailed": reading the tree failed (the inner exception says why).</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    public Task<BlobInfo> WriteTreeAsync(string rootDir, Stream output, CancellationToken cancellationToken = default) =>
        Task.Run(() => WriteTree(rootDir, output, cancellationToken), cancellationToken);

    /// <summary>
    /// Synchronous <see cref="WriteTreeAsync"/>: everything happens on the calling thread, which is
    /// what a walk inside a thread's private mount namespace needs.
    /// </summary>
    public BlobInfo WriteTree(string rootDir, Stream output, CancellationToken cancellationToken = default) =>
        Write(rootDir, output, diff: false, cancellationToken);

    private BlobInfo Write(string root, Stream output, bool diff, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(root);
        ArgumentNullException.ThrowIfNull(output);
        var tar = new PaxTarWriter(output);
        var walk = new Walk(this, tar, root, diff, cancellationToken);
        walk.Run();
        var digest = tar.Finish(cancellationToken);
        return new BlobInfo(digest, tar.Length);
    }

    private long Clamp(DateTimeOffset modified)
    {
        var seconds = modified.ToUnixTimeSeconds();
        if (SourceDateEpoch is { } epoch && seconds > epoch.ToUnixTimeSeconds()) return epoch.ToUnixTimeSeconds();
        return seconds;
    }
}
