using System.Formats.Tar;
using System.Text;
using System.Text.Json;
using ContainerPS.Engine.Images;
using ContainerPS.Engine.Progress;
using ContainerPS.Engine.Store;

namespace ContainerPS.Engine.Archive;

/// <summary>
/// Writes a docker-archive exactly as Docker ≥ 25 does: an OCI image layout (oci-layout,
/// index.json, blobs/sha256/…) plus the legacy manifest.json and repositories, so the same
/// tarball loads in `docker load`, `podman load`, skopeo (docker-archive: and oci-archive:)
/// and here. Blobs are written as stored, so manifest and layer digests are preserved.
/// Entries have fixed timestamps: saving the same images twice gives identical bytes.
/// </summary>
public sealed class ImageArchiveWriter
{
    /// <summary>An image to write: its manifest, config, layers, and familiar tags.</summary>
    public sealed record Item(Digest Manifest, string ManifestMediaType, Digest Config, IReadOnlyList<Descriptor> Layers, IReadOnlyList<string> FullNames, IReadOnlyList<string> FamiliarTags);

    private readonly ContentStore _content;

    public ImageArchiveWriter(ContentStore content) => _content = content;

    public async Task WriteAsync(Stream output, IReadOnlyList<Item> items, IProgress<ProgressReport>? progress, string progressId, CancellationToken cancellationToken)
    {
        await using var tar = new TarWriter(output, TarEntryFormat.Ustar, leaveOpen: true);
        var written = new HashSet<Digest>();
        var total = items.SelectMany(i => i.Layers.Select(l => l.Digest).Append(i.Config).Append(i.Manifest)).Distinct().Sum(d => _content.SizeOf(d));
        long done = 0;
        await AddDirectoryAsync(tar, "blobs/", cancellationToken).ConfigureAwait(false);
        await AddDirectoryAsync(tar, "blobs/sha256/", cancellationToken).ConfigureAwait(false);
        foreach (var item in items)
        {
            foreach (var digest in item.Layers.Select(l => l.Digest).Append(item.Config).Append(item.Manifest))
            {
                if (!written.Add(digest)) continue;
                await using var blob = _content.OpenRead(digest);
                var entry = NewEntry(TarEntryType.RegularFile, "blobs/sha256/" + digest.Hex);
                entry.DataStream = blob;
                await tar.WriteEntryAsync(entry, cancellationToken).ConfigureAwait(false);
                done += blob.Length;
                progress?.Report(new ProgressReport(progressId, "Saving", digest.Hex[..12], done, total));
            }
        }

        var index = new ManifestIndex { MediaType = MediaTypes.OciIndex };
        foreach (var item in items)
        {
            var size = _content.SizeOf(item.Manifest);
            if (item.FullNames.Count == 0)
                index.Manifests.Add(new Descriptor { MediaType = item.ManifestMediaType, Digest = item.Manifest, Size = size });
            foreach (var name in item.FullNames)
            {
                var colon = name.LastIndexOf(':');
                index.Manifests.Add(new Descriptor
                {
                    MediaType = item.ManifestMediaType, Digest = item.Manifest, Size = size,
                    Annotations = new()
                    {
                        ["io.containerd.image.name"] = name,
                        ["org.opencontainers.image.ref.name"] = colon > name.LastIndexOf('/') ? name[(colon + 1)..] : "latest",
                    },
                });
            }
        }
        await AddFileAsync(tar, "index.json", ImageJson.Serialize(index), cancellationToken).ConfigureAwait(false);

        var legacy = items.Select(i => new DockerArchiveEntry
        {
            Config = "blobs/sha256/" + i.Config.Hex,
            RepoTags = i.FamiliarTags.Count > 0 ? i.FamiliarTags.ToList() : null,
            Layers = i.Layers.Select(l => "blobs/sha256/" + l.Digest.Hex).ToList(),
        }).ToList();
        await AddFileAsync(tar, "manifest.json", JsonSerializer.SerializeToUtf8Bytes(legacy, ImageJson.Options), cancellationToken).ConfigureAwait(false);
        await AddFileAsync(tar, "oci-layout", Encoding.UTF8.GetBytes("{\"imageLayoutVersion\":\"1.0.0\"}"), cancellationToken).ConfigureAwait(false);

        var repositories = new SortedDictionary<string, SortedDictionary<string, string>>(StringComparer.Ordinal);
        foreach (var i in items)
        {
            if (i.Layers.Count == 0) continue;
            foreach (var tag in i.FamiliarTags)
            {
                var colon = tag.LastIndexOf(':');
                if (colon <= tag.LastIndexOf('/')) continue;
                var repo = tag[..colon];
                if (!repositories.TryGetValue(repo, out var tags)) repositories[repo] = tags = new(StringComparer.Ordinal);
                tags[tag[(colon + 1)..]] = i.Layers[^1].Digest.Hex;
            }
        }
        if (repositories.Count > 0)
            await AddFileAsync(tar, "repositories", JsonSerializer.SerializeToUtf8Bytes(repositories), cancellationToken).ConfigureAwait(false);
    }

    private static PosixTarEntry NewEntry(TarEntryType type, string name)
    {
        // Fixed times and owner make the archive reproducible. Plain ustar headers: .NET's PAX
        // entries always carry atime/ctime records of "now", which would defeat that. (ustar
        // caps one file at 8 GiB; a layer that large is not a case this format serves.)
        var entry = new UstarTarEntry(type, name)
        {
            ModificationTime = DateTimeOffset.UnixEpoch,
            Mode = type == TarEntryType.Directory
                ? UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute
                : UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead,
            Uid = 0,
            Gid = 0,
        };
        return entry;
    }

    private static Task AddDirectoryAsync(TarWriter tar, string name, CancellationToken ct) =>
        tar.WriteEntryAsync(NewEntry(TarEntryType.Directory, name), ct);

    private static async Task AddFileAsync(TarWriter tar, string name, byte[] content, CancellationToken ct)
    {
        var entry = NewEntry(TarEntryType.RegularFile, name);
        entry.DataStream = new MemoryStream(content, writable: false);
        await tar.WriteEntryAsync(entry, ct).ConfigureAwait(false);
    }
}
