using System.Formats.Tar;
using ContainerPS.Engine.Errors;
using ContainerPS.Engine.Progress;
using ContainerPS.Engine.Store;

namespace ContainerPS.Engine.Archive;

/// <summary>
/// Reads an image archive (docker-archive as `docker save` writes it, old and new layouts,
/// or an OCI image layout tarball; plain or compressed) in ONE streaming pass: each file is
/// hashed and stored in the content store as it goes by, so a 300 MB archive is read once
/// and written once. Interpreting manifest.json / index.json happens afterwards.
/// </summary>
public sealed class ImageArchiveReader
{
    private const int MaxDocumentSize = 16 << 20;
    private static readonly HashSet<string> DocumentNames = new(StringComparer.Ordinal) { "manifest.json", "index.json", "oci-layout", "repositories" };

    private readonly ContentStore _content;

    public ImageArchiveReader(ContentStore content) => _content = content;

    public async Task<ArchiveContents> ReadAsync(Stream archive, string archivePath, IProgress<ProgressReport>? progress, string progressId, CancellationToken cancellationToken)
    {
        var contents = new ArchiveContents { ArchivePath = archivePath };
        long? total = archive.CanSeek ? archive.Length : null;
        await using var plain = Compression.OpenDecompressed(archive, out _);
        using var reader = new TarReader(plain, leaveOpen: true);
        while (true)
        {
            TarEntry? entry;
            try
            {
                entry = await reader.GetNextEntryAsync(copyData: false, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is InvalidDataException or FormatException or EndOfStreamException)
            {
                throw new ArchiveException("InvalidArchive", $"{archivePath}: not a valid image archive (tar): {ex.Message}", archivePath, null, ex);
            }
            if (entry is null) break;
            var name = ArchivePaths.Normalize(entry.Name);
            switch (entry.EntryType)
            {
                case TarEntryType.RegularFile:
                case TarEntryType.V7RegularFile:
                case TarEntryType.ContiguousFile:
                    if (entry.DataStream is null) break;
                    if (DocumentNames.Contains(name))
                    {
                        if (entry.Length > MaxDocumentSize)
                            throw new ArchiveException("InvalidArchive", $"{archivePath}: {name} is too large ({entry.Length} bytes)", archivePath, name);
                        using var ms = new MemoryStream();
                        await entry.DataStream.CopyToAsync(ms, cancellationToken).ConfigureAwait(false);
                        contents.Documents[name] = ms.ToArray();
                        break;
                    }
                    Digest? expected = null;
                    if (name.StartsWith("blobs/", StringComparison.Ordinal))
                    {
                        var parts = name.Split('/');
                        if (parts.Length == 3 && Digest.TryParse(parts[1] + ":" + parts[2], out var d)) expected = d;
                    }
                    try
                    {
                        contents.Files[name] = await _content.WriteAsync(entry.DataStream, expected, entry.Length, cancellationToken).ConfigureAwait(false);
                    }
                    catch (DigestMismatchException ex)
                    {
                        throw new ArchiveException("ArchiveDigestMismatch", $"{archivePath}: {name}: {ex.Message}", archivePath, name, ex);
                    }
                    progress?.Report(new ProgressReport(progressId, "Reading " + Path.GetFileName(archivePath), name,
                        total is null ? 0 : archive.Position, total));
                    break;
                case TarEntryType.SymbolicLink:
                    contents.Links[name] = ArchivePaths.ResolveLink(name, entry.LinkName);
                    break;
                case TarEntryType.HardLink:
                    contents.Links[name] = ArchivePaths.Normalize(entry.LinkName);
                    break;
                default:
                    break; // directories and anything else carry no image data
            }
        }
        return contents;
    }
}
