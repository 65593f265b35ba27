using ContainerPS.Runtime.IO;
using ContainerPS.Engine.Archive;
using ContainerPS.Engine.Errors;
using ContainerPS.Engine.Progress;
using ContainerPS.Engine.References;
using ContainerPS.Engine.Store;

namespace ContainerPS.Engine.Images;

public sealed partial class ImageStore
{
    /// <summary>
    /// docker save: one archive with every named image. A name with a tag saves that tag; a
    /// bare repository ("busybox") saves all its tags; an ID saves the image without names.
    /// The archive is written beside <paramref name="path"/> and renamed into place, so a
    /// failed or cancelled save leaves no partial file.
    /// </summary>
    public async Task SaveAsync(IReadOnlyList<string> namesOrIds, string path, IProgress<ProgressReport>? progress, CancellationToken cancellationToken)
    {
        if (namesOrIds.Count == 0) throw new InvalidArgumentException("NoImagesToSave", "no images given to save", null);
        var items = SelectForSave(namesOrIds);
        var full = Path.GetFullPath(path);
        var dir = Path.GetDirectoryName(full)!;
        if (!Directory.Exists(dir)) throw new NotFoundException("DirectoryNotFound", $"{dir}: no such directory", dir);
        var temp = Path.Combine(dir, AtomicFile.TempPrefix + Path.GetFileName(full) + "-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            await using (var output = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20, FileOptions.Asynchronous))
            {
                await new ImageArchiveWriter(Content).WriteAsync(output, items, progress, "save:" + path, cancellationToken).ConfigureAwait(false);
            }
            File.Move(temp, full, overwrite: true);
            progress?.Report(new ProgressReport("save:" + path, "Saving", "done", Completed: true));
        }
        catch
        {
            AtomicFile.TryDelete(temp);
            throw;
        }
    }

    public async Task SaveAsync(IReadOnlyList<string> namesOrIds, Stream output, IProgress<ProgressReport>? progress, CancellationToken cancellationToken) =>
        await new ImageArchiveWriter(Content).WriteAsync(output, SelectForSave(namesOrIds), progress, "save", cancellationToken).ConfigureAwait(false);

    private List<ImageArchiveWriter.Item> SelectForSave(IReadOnlyList<string> namesOrIds)
    {
        var records = Index.Load();
        var chosen = new Dictionary<Digest, (ImageRecord Record, List<string> Names)>();
        void Add(ImageRecord r, IEnumerable<string> names)
        {
            if (!chosen.TryGetValue(r.Manifest, out var entry)) chosen[r.Manifest] = entry = (r, new List<string>());
            foreach (var n in names) if (!entry.Names.Contains(n)) entry.Names.Add(n);
        }
        foreach (var nameOrId in namesOrIds)
        {
            var byName = FindByName(records, nameOrId);
            if (byName is not null && ImageReference.Parse(nameOrId) is var reference)
            {
                if (reference.Tag is null && reference.Digest is null)
                {
                    // A bare repository: every tag of it, as docker save does.
                    foreach (var r in records)
                    {
                        var inRepo = r.Names.Where(n => RepositoryOf(n) == reference.Repository).ToList();
                        if (inRepo.Count > 0) Add(r, inRepo);
                    }
                }
                else
                {
                    Add(byName, reference.Digest is null ? new[] { reference.WithDefaultTag().ToString() } : Array.Empty<string>());
                }
                continue;
            }
            if (!LooksLikeId(nameOrId)) ImageReference.Parse(nameOrId); // a clear "invalid reference" error first
            var bare = ImageReference.TryParse(nameOrId, out var repoRef) && repoRef is not null && repoRef.Tag is null && repoRef.Digest is null
                ? records.Where(r => r.Names.Any(n => RepositoryOf(n) == repoRef.Repository)).ToList()
                : new List<ImageRecord>();
            if (bare.Count > 0)
            {
                foreach (var r in bare) Add(r, r.Names.Where(n => RepositoryOf(n) == repoRef!.Repository));
                continue;
            }
            Add(Resolve(records, nameOrId), Array.Empty<string>());
        }
        return chosen.Values.Select(c =>
        {
            var manifest = ReadManifest(c.Record.Manifest);
            return new ImageArchiveWriter.Item(c.Record.Manifest, c.Record.ManifestMediaType, c.Record.Config, manifest.Layers,
                c.Names, c.Names.Select(Familiar).ToList());
        }).ToList();
    }
}
