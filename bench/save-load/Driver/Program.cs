// Engine-level driver for bench/save-load (see bench/save-load/run.sh).
//
//   save-load-driver load    ROOT ARCHIVE        ImageStore.LoadAsync into store ROOT
//   save-load-driver save    ROOT REF OUT        ImageStore.SaveAsync of REF to OUT
//   save-load-driver profile-load ROOT ARCHIVE   the phases of a load, timed one by one
//   save-load-driver profile-save ROOT REF OUT   the phases of a save, timed one by one
//   save-load-driver probe   DIR                 what the disk and the CPU can do here
//   save-load-driver breakdown-load ROOT ARCHIVE where a load's time goes: read / sha256 /
//                                                write / fsync, each summed with a Stopwatch
//
// Every command prints "key value" lines (seconds, bytes) on stdout; run.sh parses them.
// Timing is in-process with Stopwatch, so .NET start-up and JIT of Main are excluded; the
// wall time of the whole process is measured by run.sh and reported separately.
using System.Buffers;
using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json;
using ContainerPS.Engine.Archive;
using ContainerPS.Engine.Images;
using ContainerPS.Engine.Layers;
using ContainerPS.Engine.Progress;
using ContainerPS.Engine.Store;

var ct = CancellationToken.None;
if (args.Length < 2) return Usage();
try
{
    switch (args[0])
    {
        case "load" when args.Length == 3:
        {
            var store = new ImageStore(new StoreLayout(args[1]));
            var progress = new CountingProgress();
            var sw = Stopwatch.StartNew();
            var images = await store.LoadAsync(args[2], progress, ct);
            sw.Stop();
            Emit("seconds", sw.Elapsed.TotalSeconds);
            Emit("images", images.Count);
            Emit("progress_reports", progress.Count);
            return 0;
        }
        case "save" when args.Length == 4:
        {
            var store = new ImageStore(new StoreLayout(args[1]));
            var progress = new CountingProgress();
            var sw = Stopwatch.StartNew();
            await store.SaveAsync(new[] { args[2] }, args[3], progress, ct);
            sw.Stop();
            Emit("seconds", sw.Elapsed.TotalSeconds);
            Emit("bytes", new FileInfo(args[3]).Length);
            return 0;
        }
        case "profile-load" when args.Length == 3:
            return await ProfileLoadAsync(args[1], args[2], ct);
        case "profile-save" when args.Length == 4:
            return await ProfileSaveAsync(args[1], args[2], args[3], ct);
        case "breakdown-load" when args.Length == 3:
            return await BreakdownLoadAsync(args[1], args[2], ct);
        case "probe" when args.Length == 2:
            return await ProbeAsync(args[1], ct);
        default:
            return Usage();
    }
}
catch (Exception e)
{
    Console.Error.WriteLine($"save-load-driver: {e.GetType().Name}: {e.Message}");
    return 1;
}

static int Usage()
{
    Console.Error.WriteLine("usage: save-load-driver load ROOT ARCHIVE | save ROOT REF OUT | profile-load ROOT ARCHIVE | profile-save ROOT REF OUT | probe DIR");
    return 2;
}

static void Emit(string key, double value) =>
    Console.WriteLine(FormattableString.Invariant($"{key} {value:0.######}"));

// The phases of ImageStore.LoadAsync, driven through the same public engine types in the
// same order (ImageStore.Load.cs: ImageArchiveReader.ReadAsync, then UnpackLayersAsync ->
// LayerStore.EnsureUnpackedAsync per layer, then Publish). Publish is a few small files and
// is left out.
static async Task<int> ProfileLoadAsync(string root, string archive, CancellationToken ct)
{
    var layout = new StoreLayout(root);
    var content = new ContentStore(layout);
    var layers = new LayerStore(layout);
    var total = Stopwatch.StartNew();

    var sw = Stopwatch.StartNew();
    ArchiveContents contents;
    await using (var input = new FileStream(archive, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.SequentialScan | FileOptions.Asynchronous))
        contents = await new ImageArchiveReader(content).ReadAsync(input, archive, null, "profile", ct);
    Emit("phase.ingest_seconds", sw.Elapsed.TotalSeconds); // read archive + sha256 + write blobs + fsync each

    var entry = JsonSerializer.Deserialize<List<DockerArchiveEntry>>(contents.Documents["manifest.json"])![0];
    var configBlob = contents.Find(entry.Config)!.Value.Digest;
    using var configDoc = JsonDocument.Parse(content.ReadAllBytes(configBlob));
    var diffIds = configDoc.RootElement.GetProperty("rootfs").GetProperty("diff_ids").EnumerateArray()
        .Select(e => Digest.Parse(e.GetString()!)).ToList();

    Digest? parent = null;
    var unpack = TimeSpan.Zero;
    for (var i = 0; i < diffIds.Count; i++)
    {
        var blob = contents.Find(entry.Layers[i])!.Value.Digest;
        var chain = ChainId.Next(parent, diffIds[i]);
        sw.Restart();
        await layers.EnsureUnpackedAsync(chain, diffIds[i], parent, () => content.OpenRead(blob), $"layer {blob}", ct);
        unpack += sw.Elapsed;
        Emit($"phase.unpack_layer{i}_seconds", sw.Elapsed.TotalSeconds); // read blob + sha256 + write files
        parent = chain;
    }
    Emit("phase.unpack_seconds", unpack.TotalSeconds);
    Emit("phase.total_seconds", total.Elapsed.TotalSeconds);
    return 0;
}

static async Task<int> ProfileSaveAsync(string root, string reference, string output, CancellationToken ct)
{
    var store = new ImageStore(new StoreLayout(root));
    var image = store.Get(reference);
    var blobs = store.Content.List().ToList();

    // Reading every blob of the store once (the input of a save), 1 MiB reads.
    var sw = Stopwatch.StartNew();
    long bytes = 0;
    var buffer = new byte[1 << 20];
    foreach (var d in blobs)
    {
        await using var s = store.Content.OpenRead(d);
        int n;
        while ((n = await s.ReadAsync(buffer, ct)) > 0) bytes += n;
    }
    Emit("phase.read_blobs_seconds", sw.Elapsed.TotalSeconds);
    Emit("phase.read_blobs_bytes", bytes);

    sw.Restart();
    await store.SaveAsync(new[] { reference }, output, null, ct);
    Emit("phase.save_warm_seconds", sw.Elapsed.TotalSeconds); // blobs now in the page cache (if it kept them)
    Emit("layers", image.Layers.Count);
    return 0;
}

// A replica of the load path with a Stopwatch around every kind of work, to see where the
// time goes (the engine has no such logging). Pass 1 mirrors ImageArchiveReader.ReadAsync +
// ContentStore.WriteAsync (1 MiB chunks: read, sha256, write; fsync per blob); pass 2 runs
// the engine's own LayerExtractor over each stored layer blob through a timed sha256 stream,
// as LayerStore.EnsureUnpackedAsync does (its HashingStream re-hashes the layer).
static async Task<int> BreakdownLoadAsync(string root, string archive, CancellationToken ct)
{
    Directory.CreateDirectory(root);
    var blobDir = Path.Combine(root, "blobs");
    Directory.CreateDirectory(blobDir);
    var total = Stopwatch.StartNew();
    var read = new Stopwatch();
    var hash = new Stopwatch();
    var write = new Stopwatch();
    var fsync = new Stopwatch();
    var layerBlobs = new List<string>();
    var buffer = new byte[1 << 20];
    var pass1 = Stopwatch.StartNew();
    await using (var input = new FileStream(archive, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.SequentialScan | FileOptions.Asynchronous))
    using (var timedInput = new TimedReadStream(input, read))
    using (var tar = new System.Formats.Tar.TarReader(timedInput, leaveOpen: true))
    {
        while (await tar.GetNextEntryAsync(copyData: false, ct) is { } entry)
        {
            if (entry.EntryType is not (System.Formats.Tar.TarEntryType.RegularFile or System.Formats.Tar.TarEntryType.V7RegularFile) || entry.DataStream is null) continue;
            var path = Path.Combine(blobDir, Guid.NewGuid().ToString("N"));
            using var h = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            await using (var fs = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.Asynchronous))
            {
                int n;
                while ((n = await entry.DataStream.ReadAsync(buffer, ct)) > 0)
                {
                    hash.Start(); h.AppendData(buffer, 0, n); hash.Stop();
                    write.Start(); await fs.WriteAsync(buffer.AsMemory(0, n), ct); write.Stop();
                }
                fsync.Start(); fs.Flush(flushToDisk: true); fsync.Stop();
            }
            h.GetHashAndReset();
            if (entry.Name.EndsWith("layer.tar", StringComparison.Ordinal)) layerBlobs.Add(path);
        }
    }
    pass1.Stop();
    Emit("ingest.total_seconds", pass1.Elapsed.TotalSeconds);
    Emit("ingest.read_seconds", read.Elapsed.TotalSeconds);
    Emit("ingest.sha256_seconds", hash.Elapsed.TotalSeconds);
    Emit("ingest.write_seconds", write.Elapsed.TotalSeconds);
    Emit("ingest.fsync_seconds", fsync.Elapsed.TotalSeconds);

    read.Reset(); hash.Reset();
    var pass2 = Stopwatch.StartNew();
    var i = 0;
    foreach (var blob in layerBlobs)
    {
        await using var s = new FileStream(blob, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.SequentialScan);
        using var timed = new TimedReadStream(s, read);
        using var hashed = new TimedHashStream(timed, hash);
        await new LayerExtractor(WhiteoutMode.Overlay).ExtractAsync(hashed, Path.Combine(root, "layer" + i++), "layer", ct);
        while (await hashed.ReadAsync(buffer, ct) > 0) { }
    }
    pass2.Stop();
    Emit("unpack.total_seconds", pass2.Elapsed.TotalSeconds);
    Emit("unpack.read_seconds", read.Elapsed.TotalSeconds);
    Emit("unpack.sha256_seconds", hash.Elapsed.TotalSeconds);
    Emit("unpack.write_and_rest_seconds", (pass2.Elapsed - read.Elapsed - hash.Elapsed).TotalSeconds);
    Emit("total_seconds", total.Elapsed.TotalSeconds);
    return 0;
}

// Baselines on this machine: how fast sha256 runs, and how fast the disk takes 300 MB with
// and without fsync, with the 1 MiB buffers the engine uses.
static async Task<int> ProbeAsync(string dir, CancellationToken ct)
{
    Directory.CreateDirectory(dir);
    const int size = 300 << 20;
    var data = new byte[1 << 20];
    RandomNumberGenerator.Fill(data);

    var sw = Stopwatch.StartNew();
    using (var h = IncrementalHash.CreateHash(HashAlgorithmName.SHA256))
    {
        for (var i = 0; i < size / data.Length; i++) h.AppendData(data);
        h.GetHashAndReset();
    }
    Emit("probe.sha256_300MiB_seconds", sw.Elapsed.TotalSeconds);

    foreach (var fsync in new[] { false, true })
    {
        var path = Path.Combine(dir, "probe-" + (fsync ? "fsync" : "nofsync"));
        sw.Restart();
        await using (var fs = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1, FileOptions.Asynchronous))
        {
            for (var i = 0; i < size / data.Length; i++) await fs.WriteAsync(data, ct);
            if (fsync) fs.Flush(flushToDisk: true);
        }
        Emit($"probe.write_300MiB_{(fsync ? "fsync" : "nofsync")}_seconds", sw.Elapsed.TotalSeconds);
    }

    // Sequential read of the file just written (probably still cached) and copy through sha256.
    sw.Restart();
    long read = 0;
    await using (var fs = new FileStream(Path.Combine(dir, "probe-fsync"), FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.SequentialScan | FileOptions.Asynchronous))
    {
        var buf = ArrayPool<byte>.Shared.Rent(1 << 20);
        int n;
        while ((n = await fs.ReadAsync(buf.AsMemory(0, 1 << 20), ct)) > 0) read += n;
        ArrayPool<byte>.Shared.Return(buf);
    }
    Emit("probe.read_300MiB_seconds", sw.Elapsed.TotalSeconds);
    foreach (var f in Directory.EnumerateFiles(dir, "probe-*")) File.Delete(f);
    return 0;
}

sealed class CountingProgress : IProgress<ProgressReport>
{
    public int Count;
    public void Report(ProgressReport value) => Count++;
}

/// <summary>Read-only pass-through that adds the time spent in the inner stream's reads to a Stopwatch.</summary>
class TimedReadStream(Stream inner, Stopwatch clock) : Stream
{
    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));
    public override int Read(Span<byte> buffer)
    {
        clock.Start();
        try { return inner.Read(buffer); } finally { clock.Stop(); }
    }
    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        clock.Start();
        try { return await inner.ReadAsync(buffer, cancellationToken); } finally { clock.Stop(); }
    }
    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();
    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}

/// <summary>As the engine's HashingStream (sha256 of everything read), timing the hashing.</summary>
sealed class TimedHashStream(Stream inner, Stopwatch clock) : TimedReadStream(inner, new Stopwatch())
{
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    public override int Read(Span<byte> buffer)
    {
        var n = base.Read(buffer);
        clock.Start(); _hash.AppendData(buffer[..n]); clock.Stop();
        return n;
    }
    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var n = await base.ReadAsync(buffer, cancellationToken);
        clock.Start(); _hash.AppendData(buffer.Span[..n]); clock.Stop();
        return n;
    }
    protected override void Dispose(bool disposing)
    {
        if (disposing) _hash.Dispose();
        base.Dispose(disposing);
    }
}
