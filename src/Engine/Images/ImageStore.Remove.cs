using ContainerPS.Engine.Errors;
using ContainerPS.Engine.References;
using ContainerPS.Engine.Store;

namespace ContainerPS.Engine.Images;

public sealed partial class ImageStore
{
    /// <summary>
    /// docker rmi: by name, removes that name, and deletes the image when it was the last
    /// name; by ID, removes every name and deletes the image, refusing (unless forced) when
    /// the names span several repositories. An image a container uses is never deleted
    /// without <paramref name="force"/>; with it, its names go and its content stays until
    /// the container is removed (GC keeps what containers reference).
    /// </summary>
    public IReadOnlyList<ImageDeleteResult> Remove(string nameOrId, bool force)
    {
        var results = new List<ImageDeleteResult>();
        using (var held = StoreLock.Acquire(Layout))
        {
            var records = Index.Load();
            var byName = FindByName(records, nameOrId);
            var record = byName ?? Resolve(records, nameOrId);
            var users = ContainersUsing(record.Config.ToString());
            var shortId = record.Config.Hex[..12];

            if (byName is not null)
            {
                var reference = ImageReference.Parse(nameOrId);
                var full = reference.Digest is null ? reference.WithDefaultTag().ToString() : reference.ToString();
                var refs = record.Names.Count + record.Digests.Count;
                var isLast = refs <= 1 || (reference.Digest is not null && record.Names.Count == 0);
                if (isLast && users.Count > 0 && !force)
                    throw new ConflictException("ImageInUse",
                        $"conflict: unable to remove repository reference \"{nameOrId}\" (must force) - container {Short(users[0])} is using its referenced image {shortId}", nameOrId);
                Index.Update(held, rs =>
                {
                    var r = rs.First(x => x.Manifest == record.Manifest);
                    if (reference.Digest is not null)
                    {
                        r.Digests.RemoveAll(d => d == full || d.EndsWith("@" + reference.Digest, StringComparison.Ordinal) && RepositoryOf(d) == reference.Repository);
                        if (isLast) r.Names.Clear();
                    }
                    else
                    {
                        r.Names.Remove(full);
                    }
                    results.Add(ImageDeleteResult.Untagged(reference.Digest is null ? reference.WithDefaultTag().FamiliarString : reference.FamiliarString));
                    if (isLast && users.Count == 0)
                    {
                        foreach (var d in r.Digests) results.Add(ImageDeleteResult.Untagged(Familiar(d)));
                        rs.Remove(r);
                        results.Add(ImageDeleteResult.Deleted(r.Config.ToString()));
                    }
                    return 0;
                });
            }
            else
            {
                if (users.Count > 0 && !force)
                    throw new ConflictException("ImageInUse",
                        $"conflict: unable to delete {shortId} (must be forced) - image is being used by container {Short(users[0])}", nameOrId);
                var repos = record.Names.Concat(record.Digests).Select(RepositoryOf).Distinct().Count();
                if (repos > 1 && !force)
                    throw new ConflictException("ImageReferencedByMultipleRepositories",
                        $"conflict: unable to delete {shortId} (must be forced) - image is referenced in multiple repositories", nameOrId);
                Index.Update(held, rs =>
                {
                    // Every record with this config goes: the same image stored under two manifests is one image to the user.
                    foreach (var r in rs.Where(x => x.Config == record.Config).ToList())
                    {
                        foreach (var n in r.Names.Concat(r.Digests)) results.Add(ImageDeleteResult.Untagged(Familiar(n)));
                        rs.Remove(r);
                    }
                    results.Add(ImageDeleteResult.Deleted(record.Config.ToString()));
                    return 0;
                });
            }
            CollectGarbage(held);
        }
        return results;
    }

    private static string Short(string id) => id.Length > 12 ? id[..12] : id;
}
