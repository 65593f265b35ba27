using ContainerPS.Engine.Build.Context;
using ContainerPS.Engine.Build.Execution;
using ContainerPS.Engine.Images;
using ContainerPS.Engine.Store;
using ContainerPS.Tests.Unit.Containers;
using Xunit;

namespace ContainerPS.Tests.Unit.Build;

/// <summary>The executor's step operations on real layers and real RUN containers (no Dockerfile).</summary>
public sealed class BuildSessionTests : IDisposable
{
    private readonly ContainerHarness _h = new();
    private readonly string _context;

    public BuildSessionTests()
    {
        _context = _h.Store.PathFor("ctx");
        Directory.CreateDirectory(Path.Combine(_context, "dir", "sub"));
        File.WriteAllText(Path.Combine(_context, "a.txt"), "alpha\n");
        File.WriteAllText(Path.Combine(_context, "dir", "b.txt"), "beta\n");
        File.WriteAllText(Path.Combine(_context, "dir", "sub", "c.txt"), "gamma\n");
    }

    public void Dispose() => _h.Dispose();

    private BuildSession Session(List<BuildOutput>? output = null, bool noCache = false) =>
        new(_h.Containers, new BuildContext(_context), new BuildOptions { NoCache = noCache, Output = o => { lock (output ?? new()) output?.Add(o); } });

    private static StepInfo Step(string createdBy) => new(createdBy, "Dockerfile", 1, createdBy);

    [Fact]
    public async Task Run_AddsTheUpperDirAsALayer_WithoutRuntimePlaceholders_AndRemovesItsContainer()
    {
        var output = new List<BuildOutput>();
        using var s = Session(output);
        var from = s.FromImage("busybox");
        var key = BuildSession.Key(from.Key, "RUN");
        var state = await s.RunAsync(from, key, Step("RUN x"), new[] { "/bin/sh", "-c", "echo hello; mkdir -p /out && echo made > /out/f; rm /bin/ls" },
            new Dictionary<string, string>(), CancellationToken.None);

        Assert.Equal(from.Config.RootFs.DiffIds.Count + 1, state.Config.RootFs.DiffIds.Count);
        Assert.Contains(output, o => o.Text == "hello");
        await s.WaitForRemovalsAsync();
        Assert.Empty(_h.Containers.List(all: true));
        var diff = _h.Store.Images.LayerStore.DiffPath(state.Chains[^1]);
        Assert.Equal("made\n", File.ReadAllText(Path.Combine(diff, "out", "f")));
        Assert.False(File.Exists(Path.Combine(diff, "etc", "hosts")));
        Assert.False(File.Exists(Path.Combine(diff, "etc", "resolv.conf")));
        Assert.False(Directory.Exists(Path.Combine(diff, "proc")));
        Assert.True(Engine.Interop.FileSystem.LStat(Path.Combine(diff, "bin", "ls")).IsCharacterDevice); // whiteout
        Assert.False(state.Config.History![^1].EmptyLayer ?? false);
    }

    [Fact]
    public async Task Run_Failing_ThrowsWithStepAndExitCode_AndLeavesNoContainer()
    {
        using var s = Session();
        var from = s.FromImage("busybox");
        var e = await Assert.ThrowsAsync<BuildStepFailedException>(() =>
            s.RunAsync(from, BuildSession.Key(from.Key, "x"), new StepInfo("[1/2] RUN exit 3", "Dockerfile", 4, "RUN exit 3"), new[] { "/bin/sh", "-c", "exit 3" },
                new Dictionary<string, string>(), CancellationToken.None));
        Assert.Equal(3, e.ExitCode);
        Assert.Contains("Dockerfile:4", e.Message);
        Assert.Contains("exit code: 3", e.Message);
        await s.WaitForRemovalsAsync();
        Assert.Empty(_h.Containers.List(all: true));
    }

    [Fact]
    public async Task Copy_DirectoryContents_FileIntoDirectory_AndWorkdirCreatesOnlyWhenMissing()
    {
        using var s = Session();
        var from = s.FromImage("busybox");
        var wd = await s.WorkdirAsync(from, BuildSession.Key(from.Key, "w"), Step("WORKDIR /app"), "/app", CancellationToken.None);
        Assert.Equal("/app", wd.Runtime.WorkingDir);
        Assert.Equal(from.Layers.Count + 1, wd.Layers.Count);
        var wd2 = await s.WorkdirAsync(wd, BuildSession.Key(wd.Key, "w2"), Step("WORKDIR /app"), "/app", CancellationToken.None);
        Assert.Equal(wd.Layers.Count, wd2.Layers.Count);
        Assert.True(wd2.Config.History![^1].EmptyLayer);

        var copy = await s.CopyAsync(wd2, BuildSession.Key(wd2.Key, "c"), Step("COPY dir ."), new CopyRequest(new[] { "dir" }, "."), null, CancellationToken.None);
        var diff = _h.Store.Images.LayerStore.DiffPath(copy.Chains[^1]);
        Assert.Equal("beta\n", File.ReadAllText(Path.Combine(diff, "app", "b.txt")));
        Assert.Equal("gamma\n", File.ReadAllText(Path.Combine(diff, "app", "sub", "c.txt")));
        Assert.False(Directory.Exists(Path.Combine(diff, "app", "dir")));

        var file = await s.CopyAsync(copy, BuildSession.Key(copy.Key, "f"), Step("COPY a.txt /x/y"), new CopyRequest(new[] { "a.txt" }, "/x/y") { Chown = "1:2", Chmod = "640" }, null, CancellationToken.None);
        var st = Engine.Interop.FileSystem.LStat(Path.Combine(_h.Store.Images.LayerStore.DiffPath(file.Chains[^1]), "x", "y"));
        Assert.True(st.IsRegularFile);
        Assert.Equal((1u, 2u, 0x1A0u), (st.Uid, st.Gid, st.Permissions));

        var many = await Assert.ThrowsAsync<Engine.Errors.InvalidArgumentException>(() =>
            s.CopyAsync(copy, BuildSession.Key(copy.Key, "m"), Step("COPY"), new CopyRequest(new[] { "a.txt", "dir" }, "/m"), null, CancellationToken.None));
        Assert.Contains("must be a directory and end with a /", many.Message);
    }

    [Fact]
    public async Task Cache_HitsOnSameKey_AndRollbackRemovesEverythingNew()
    {
        var blobsBefore = _h.Store.Images.Content.List().ToHashSet();
        var layersBefore = _h.Store.Images.LayerStore.List().Select(l => l.ChainId).ToHashSet();
        using (var s = Session())
        {
            var from = s.FromImage("busybox");
            var request = new CopyRequest(new[] { "a.txt" }, "/a.txt");
            var key = s.CopyKey(from, request, "COPY a.txt /a.txt");
            var (first, cached1) = await s.CachedAsync(key, k => s.CopyAsync(from, k, Step("COPY"), request, null, CancellationToken.None));
            var (second, cached2) = await s.CachedAsync(key, k => s.CopyAsync(from, k, Step("COPY"), request, null, CancellationToken.None));
            Assert.False(cached1);
            Assert.True(cached2);
            Assert.Equal(first.Config.RootFs.DiffIds, second.Config.RootFs.DiffIds);

            // A touch (same content) keeps the key; a changed byte changes it. The context is listed once per build.
            File.SetLastWriteTimeUtc(Path.Combine(_context, "a.txt"), DateTime.UtcNow.AddMinutes(5));
            using (var touched = Session()) Assert.Equal(key, touched.CopyKey(from, request, "COPY a.txt /a.txt"));
            File.AppendAllText(Path.Combine(_context, "a.txt"), "more\n");
            using (var changed = Session()) Assert.NotEqual(key, changed.CopyKey(from, request, "COPY a.txt /a.txt"));

            await s.RollbackAsync();
        }
        Assert.Equal(blobsBefore, _h.Store.Images.Content.List().ToHashSet());
        Assert.Equal(layersBefore, _h.Store.Images.LayerStore.List().Select(l => l.ChainId).ToHashSet());
        Assert.DoesNotContain(Directory.EnumerateFiles(_h.Store.Layout.BuildCache, "*.json"), f => !f.EndsWith("files.json"));
    }

    [Fact]
    public async Task CopyFrom_ReadsAnEarlierStatesMergedTree()
    {
        using var s = Session();
        var from = s.FromImage("busybox");
        var run = await s.RunAsync(from, BuildSession.Key(from.Key, "r"), Step("RUN"), new[] { "/bin/sh", "-c", "mkdir -p /out/d && echo built > /out/d/f && chown 5:6 /out/d/f" },
            new Dictionary<string, string>(), CancellationToken.None);
        var scratch = BuildSession.Scratch();
        var copied = await s.CopyAsync(scratch, BuildSession.Key(scratch.Key, "c"), Step("COPY --from"),
            new CopyRequest(new[] { "/out" }, "/dest/") { From = run, FromName = "build" }, null, CancellationToken.None);
        var file = Path.Combine(_h.Store.Images.LayerStore.DiffPath(copied.Chains[^1]), "dest", "d", "f");
        Assert.Equal("built\n", File.ReadAllText(file));
        var st = Engine.Interop.FileSystem.LStat(file);
        Assert.Equal((5u, 6u), (st.Uid, st.Gid));
    }
}
