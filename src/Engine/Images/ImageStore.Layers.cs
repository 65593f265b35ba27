using System.IO.Pipes;
using ContainerPS.Engine.Archive;
using ContainerPS.Engine.Errors;
using ContainerPS.Engine.Store;

namespace ContainerPS.Engine.Images;

public sealed partial class ImageStore
{
    /// <summary>
    /// Streams the diff of <paramref name="upperDir"/> into the content store through a pipe: the
    /// walk runs on its own thread and the store hashes and writes what it reads, so the layer is
    /// written once. A failure on either side ends the other (EOF, or EPIPE).
    /// </summary>
    internal async Task<BlobInfo> WriteDiffBlobAsync(string upperDir, DateTimeOffset? epoch, List<Digest> newBlobs, CancellationToken ct)
    {
        var writer = new LayerDiffWriter { SourceDateEpoch = epoch };
        using var server = new AnonymousPipeServerStream(PipeDirection.Out, System.IO.HandleInheritability.None);
        using var client = new AnonymousPipeClientStream(PipeDirection.In, server.ClientSafePipeHandle);
        var producer = Task.Factory.StartNew(() =>
        {
            try
            {
                return writer.WriteDiff(upperDir, server, ct);
            }
            finally
            {
                server.Dispose(); // EOF for the store's reader, also after a failure
            }
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

        BlobInfo stored;
        try
        {
            stored = await Content.WriteAsync(client, null, null, ct).ConfigureAwait(false);
        }
        catch
        {
            client.Dispose(); // the writer gets EPIPE instead of blocking on a full pipe
            try { await producer.ConfigureAwait(false); }
            catch (Exception) { /* the store's failure is the one to report */ }
            throw;
        }
        if (stored.Created) newBlobs.Add(stored.Digest);
        var written = await producer.ConfigureAwait(false); // the walk's failure, if any, wins
        if (written.Digest != stored.Digest || written.Size != stored.Size)
            throw new EngineException(ErrorKind.Internal, "LayerWriteFailed",
                $"the layer of {upperDir} was stored as {stored.Digest} ({stored.Size} bytes) but written as {written.Digest} ({written.Size} bytes)", upperDir);
        return stored;
    }


    /// <summary>
    /// The layer descriptors (blobs) of the image with config <paramref name="imageId"/>, from a
    /// manifest the store has for it, or its uncompressed layer blobs (imported, committed and
    /// built layers are stored uncompressed, so their blobs are their diff IDs). Null when the
    /// store no longer has them.
    /// </summary>
    internal IReadOnlyList<Descriptor>? LayerDescriptors(Digest imageId, ImageConfigFile config)
    {
        var diffIds = config.RootFs.DiffIds;
        foreach (var candidate in Index.Load().Where(r => r.Config == imageId))
        {
            if (!Content.Exists(candidate.Manifest)) continue;
            var manifest = ReadManifest(candidate.Manifest);
            if (manifest.Layers.Count == diffIds.Count && manifest.Layers.All(l => Content.Exists(l.Digest)))
                return manifest.Layers.Select(l => new Descriptor { MediaType = l.MediaType, Digest = l.Digest, Size = l.Size, Urls = l.Urls, Annotations = l.Annotations }).ToList();
        }
        if (diffIds.All(Content.Exists))
            return diffIds.Select(d => new Descriptor { MediaType = MediaTypes.OciLayer, Digest = d, Size = Content.SizeOf(d) }).ToList();
        return null;
    }
}
