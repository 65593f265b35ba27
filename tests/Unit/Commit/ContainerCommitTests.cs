using System.Formats.Tar;
using ContainerPS.Engine.Containers;
using ContainerPS.Engine.Containers.Commit;
using ContainerPS.Engine.Errors;
using ContainerPS.Engine.Images;
using ContainerPS.Engine.Interop;
using ContainerPS.Runtime.Monitor;
using ContainerPS.Tests.Unit.Support;

namespace ContainerPS.Tests.Unit.Commit;

/// <summary>docker commit and docker export with real busybox containers through the engine and the AOT shim.</summary>
[Collection("Containers")]
public sealed class ContainerCommitTests : IDisposable
{
    private readonly TempStore _t = new();
    private readonly ContainerManager _containers;
    private readonly Image _busybox;

    public ContainerCommitTests()
    {
        _containers = new ContainerManager(_t.Layout, _t.Images) { ShimPath = ShimLocator.Find() };
        _busybox = _t.Images.ImportAsync(BusyboxRootfs.Write(_t.PathFor("busybox.tar")), "busybox:latest",
            new[] { "CMD [\"sh\"]" }, null, null, CancellationToken.None).GetAwaiter().GetResult();
    }

    public void Dispose()
    {
        foreach (var c in _containers.List(all: true))
        {
            try { _containers.RemoveAsync(c.Id, force: true, CancellationToken.None).GetAwaiter().GetResult(); }
            catch (EngineException) { }
        }
        var leaked = File.ReadAllLines("/proc/self/mountinfo").Where(l => l.Contains(_t.Root, StringComparison.Ordinal) || l.Contains("containerps-export-", StringComparison.Ordinal)).ToList();
        _t.Dispose();
        Assert.Empty(leaked);
    }

    private async Task<Container> RunToEnd(string image, params string[] command)
    {
        var c = _containers.Run(new ContainerCreateOptions { Image = image, Command = command.Length == 0 ? null : command });
        // Polls rather than WaitAsync: a container that exits at once can reset the monitor's
        // connection before it answers "wait" (IOException from MonitorClient).
        await Eventually(() => !_containers.Get(c.Id).Running, $"{string.Join(' ', command)} ends");
        return _containers.Get(c.Id);
    }

    private async Task<string> Output(string image, params string[] command)
    {
        var c = await RunToEnd(image, command);
        var lines = new List<string>();
        await foreach (var line in _containers.ReadLogsAsync(c.Id, new LogReadOptions(), CancellationToken.None)) lines.Add(line.Text);
        return string.Join("\n", lines);
    }

    private string UpperDir(Container c) => Path.Combine(_t.Layout.Containers, c.Id, "diff");

    private static async Task Eventually(Func<bool> condition, string what)
    {
        for (var i = 0; i < 500 && !condition(); i++) await Task.Delay(20);
        Assert.True(condition(), what);
    }

    [Fact]
    public async Task A_committed_image_has_the_file_the_container_wrote()
    {
        var a = await RunToEnd("busybox", "sh", "-c", "echo committed > /hello.txt");

        var image = await _containers.CommitAsync(a.Id, new CommitOptions { Reference = "snap:1", Author = "Ann", Message = "first snapshot" }, CancellationToken.None);

        Assert.Equal(new[] { "snap:1" }, image.RepoTags);
        Assert.Equal(_busybox.Layers.Count + 1, image.Layers.Count);
        Assert.Equal("Ann", image.Author);
        Assert.Equal("committed", await Output("snap:1", "cat", "/hello.txt"));
        var history = _t.Images.History("snap:1");
        Assert.Equal("sh -c echo committed > /hello.txt", history[0].CreatedBy);
        Assert.Equal("first snapshot", history[0].Comment);
        Assert.False(history[0].EmptyLayer);
        Assert.Equal(new[] { "sh", "-c", "echo committed > /hello.txt" }, image.Config.Cmd);
    }

    [Fact]
    public async Task Deleted_files_and_replaced_directories_are_gone_in_the_committed_image()
    {
        var a = await RunToEnd("busybox", "sh", "-c", "rm /etc/group && rm -rf /usr/bin && mkdir /usr/bin && echo only > /usr/bin/only");
        var whiteout = FileSystem.LStat(Path.Combine(UpperDir(a), "etc/group"));
        Assert.True(whiteout.IsCharacterDevice && whiteout.RDevice == 0, "overlayfs left a whiteout for /etc/group");
        Assert.Equal("y", System.Text.Encoding.ASCII.GetString(FileSystem.GetXattr(Path.Combine(UpperDir(a), "usr/bin"), "trusted.overlay.opaque")!));

        await _containers.CommitAsync(a.Id, new CommitOptions { Reference = "gone" }, CancellationToken.None);

        Assert.Equal("absent\nonly", await Output("gone", "sh", "-c", "test -e /etc/group || echo absent; ls /usr/bin"));
        Assert.Equal("present", await Output("busybox", "sh", "-c", "test -e /etc/group && echo present"));
    }

    [Fact]
    public async Task Changes_apply_to_the_committed_config()
    {
        var a = await RunToEnd("busybox", "true");

        var image = await _containers.CommitAsync(a.Id, new CommitOptions
        {
            Reference = "changed",
            Changes = new[] { "CMD [\"echo\",\"x\"]", "ENV GREETING=hi", "LABEL team=core", "WORKDIR /tmp" },
        }, CancellationToken.None);

        Assert.Equal(new[] { "echo", "x" }, image.Config.Cmd);
        Assert.Contains("GREETING=hi", image.Config.Env!);
        Assert.Equal("core", image.Config.Labels!["team"]);
        Assert.Equal("/tmp", image.Config.WorkingDir);
        Assert.Equal("x", await Output("changed"));
    }

    [Fact]
    public async Task The_containers_create_options_are_merged_onto_the_image_config_as_docker_commits_them()
    {
        var c = _containers.Create(new ContainerCreateOptions
        {
            Image = "busybox",
            Command = new[] { "sleep", "1" },
            Environment = new Dictionary<string, string?> { ["MODE"] = "test" },
            Labels = new Dictionary<string, string> { ["from"] = "container" },
            User = "1000:1000",
            WorkingDir = "/home",
        });

        var image = await _containers.CommitAsync(c.Id, new CommitOptions(), CancellationToken.None);

        Assert.Equal(new[] { "sleep", "1" }, image.Config.Cmd);
        Assert.Equal(new[] { "MODE=test" }, image.Config.Env);
        Assert.Equal("container", image.Config.Labels!["from"]);
        Assert.Equal("1000:1000", image.Config.User);
        Assert.Equal("/home", image.Config.WorkingDir);
        Assert.True(image.Dangling);
    }

    [Fact]
    public async Task A_container_that_changed_nothing_adds_no_layer_only_a_history_entry()
    {
        var c = _containers.Create(new ContainerCreateOptions { Image = "busybox", Command = new[] { "true" } });

        var image = await _containers.CommitAsync(c.Id, new CommitOptions { Reference = "same" }, CancellationToken.None);

        Assert.Equal(_busybox.Layers, image.Layers);
        Assert.NotEqual(_busybox.Id, image.Id);
        var history = _t.Images.History("same");
        Assert.True(history[0].EmptyLayer);
        Assert.Equal("true", history[0].CreatedBy);
        Assert.False(_t.Images.Content.Exists(ContainerManager.EmptyLayerDiffId)); // not kept as garbage
    }

    [Fact]
    public async Task A_running_container_is_committed_and_keeps_running()
    {
        var a = _containers.Run(new ContainerCreateOptions { Image = "busybox", Command = new[] { "sh", "-c", "echo live > /live; exec sleep 1000" } });
        // Written, not only created ("> /live" creates the file before echo writes to it).
        await Eventually(() => File.Exists(Path.Combine(UpperDir(a), "live")) && File.ReadAllText(Path.Combine(UpperDir(a), "live")) == "live\n", "the container wrote /live");

        await _containers.CommitAsync(a.Id, new CommitOptions { Reference = "live" }, CancellationToken.None);

        Assert.Equal(ContainerStatus.Running, _containers.Get(a.Id).State);
        Assert.Equal("live", await Output("live", "cat", "/live"));
        // NoPause reads it live; a paused container stays paused.
        await _containers.CommitAsync(a.Id, new CommitOptions { Pause = false }, CancellationToken.None);
        Assert.Equal(ContainerStatus.Running, _containers.Get(a.Id).State);
        await _containers.PauseAsync(a.Id, pause: true, CancellationToken.None);
        await _containers.CommitAsync(a.Id, new CommitOptions(), CancellationToken.None);
        Assert.Equal(ContainerStatus.Paused, _containers.Get(a.Id).State);
    }

    [Fact]
    public async Task A_commit_pauses_the_container_while_it_reads_its_files()
    {
        var a = _containers.Run(new ContainerCreateOptions { Image = "busybox", Command = new[] { "sleep", "1000" } });
        // Many files, so the walk takes long enough to see the state in the middle of it.
        var upper = UpperDir(a);
        for (var i = 0; i < 2000; i++) File.WriteAllText(Path.Combine(upper, $"f{i}"), new string('x', 4096));
        var states = new List<ContainerStatus>();
        using var stop = new CancellationTokenSource();
        var watcher = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                states.Add(_containers.Get(a.Id).State);
                await Task.Delay(2);
            }
        });

        await _containers.CommitAsync(a.Id, new CommitOptions(), CancellationToken.None);
        stop.Cancel();
        await watcher;

        Assert.Contains(ContainerStatus.Paused, states);
        Assert.Equal(ContainerStatus.Running, _containers.Get(a.Id).State);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(30)]
    [InlineData(150)]
    public async Task A_cancelled_commit_leaves_the_store_as_it_was_and_the_container_running(int cancelAfterMs)
    {
        var a = _containers.Run(new ContainerCreateOptions { Image = "busybox", Command = new[] { "sleep", "1000" } });
        var upper = UpperDir(a);
        // Big enough that even an idle machine cannot finish the commit within 150 ms.
        for (var i = 0; i < 12000; i++) File.WriteAllText(Path.Combine(upper, $"f{i}"), new string('x', 4096));
        var blobs = _t.Images.Content.List().Order().ToList();
        var images = _t.Images.List().Count;
        using var cts = new CancellationTokenSource();
        if (cancelAfterMs == 0) cts.Cancel();
        else cts.CancelAfter(cancelAfterMs);

        try
        {
            await _containers.CommitAsync(a.Id, new CommitOptions { Reference = "never" }, cts.Token);
            Assert.Fail("the commit finished before it was cancelled: make the diff bigger");
        }
        catch (OperationCanceledException)
        {
        }

        Assert.Equal(blobs, _t.Images.Content.List().Order().ToList());
        Assert.Equal(images, _t.Images.List().Count);
        Assert.Equal(ContainerStatus.Running, _containers.Get(a.Id).State);
    }

    [Fact]
    public async Task Bad_input_is_refused_before_anything_is_written()
    {
        var a = await RunToEnd("busybox", "true");
        var blobs = _t.Images.Content.List().Count();

        var change = await Assert.ThrowsAsync<InvalidArgumentException>(() =>
            _containers.CommitAsync(a.Id, new CommitOptions { Changes = new[] { "RUN rm -rf /" } }, CancellationToken.None));
        var reference = await Assert.ThrowsAnyAsync<EngineException>(() =>
            _containers.CommitAsync(a.Id, new CommitOptions { Reference = "Bad:Name:x" }, CancellationToken.None));
        var missing = await Assert.ThrowsAsync<NotFoundException>(() =>
            _containers.CommitAsync("no-such-container", new CommitOptions(), CancellationToken.None));

        Assert.Equal("InvalidChange", change.ErrorId);
        Assert.Equal(ErrorKind.InvalidArgument, reference.Kind);
        Assert.Equal("ContainerNotFound", missing.ErrorId);
        Assert.Equal(blobs, _t.Images.Content.List().Count());
    }

    [Fact]
    public async Task With_source_date_epoch_the_same_changes_give_the_same_layer()
    {
        var saved = Environment.GetEnvironmentVariable("SOURCE_DATE_EPOCH");
        Environment.SetEnvironmentVariable("SOURCE_DATE_EPOCH", "1622505600");
        try
        {
            var a = await RunToEnd("busybox", "sh", "-c", "echo same > /same");
            var b = await RunToEnd("busybox", "sh", "-c", "echo same > /same");

            var first = await _containers.CommitAsync(a.Id, new CommitOptions(), CancellationToken.None);
            var second = await _containers.CommitAsync(b.Id, new CommitOptions(), CancellationToken.None);

            Assert.Equal(first.Layers[^1], second.Layers[^1]);
        }
        finally
        {
            Environment.SetEnvironmentVariable("SOURCE_DATE_EPOCH", saved);
        }
    }

    [Fact]
    public async Task An_exported_file_system_imports_back_with_the_containers_changes()
    {
        var a = await RunToEnd("busybox", "sh", "-c", "echo exported > /exported && rm /etc/group && mkdir -p /data/deep && echo x > /data/deep/x");
        var tar = _t.PathFor("export.tar");

        await _containers.ExportAsync(a.Id, tar, CancellationToken.None);

        var names = new List<string>();
        var links = new List<string>();
        await using (var file = File.OpenRead(tar))
        {
            using var reader = new TarReader(file);
            while (reader.GetNextEntry() is { } e)
            {
                names.Add(e.Name);
                if (e.EntryType == TarEntryType.HardLink) links.Add(e.LinkName);
            }
        }
        Assert.Contains("exported", names);
        Assert.Contains("bin/busybox", names);
        Assert.Contains("data/deep/x", names);
        Assert.DoesNotContain("etc/group", names);
        Assert.DoesNotContain(names, n => n.Contains(".wh.", StringComparison.Ordinal));
        // The applets are hardlinks of one inode: the first name in walk order carries the data.
        Assert.True(links.Count > 100, $"hardlink entries: {links.Count}");
        Assert.Equal(names.First(n => n.StartsWith("bin/", StringComparison.Ordinal) && !n.EndsWith('/')), Assert.Single(links.Distinct()));
        Assert.Empty(Directory.GetFiles(_t.Root, ".tmp-*"));

        await _t.Images.ImportAsync(tar, "imported:1", new[] { "CMD [\"sh\"]" }, null, null, CancellationToken.None);
        Assert.Equal("exported\nx\nabsent", await Output("imported:1", "sh", "-c", "cat /exported /data/deep/x; test -e /etc/group || echo absent"));
    }

    [Fact]
    public async Task A_running_container_can_be_exported_and_the_mount_never_reaches_the_host()
    {
        var a = _containers.Run(new ContainerCreateOptions { Image = "busybox", Command = new[] { "sh", "-c", "echo running > /running; exec sleep 1000" } });
        await Eventually(() => File.Exists(Path.Combine(UpperDir(a), "running")), "the container wrote /running");

        using var output = new MemoryStream();
        await _containers.ExportAsync(a.Name, output, CancellationToken.None);

        output.Position = 0;
        using var reader = new TarReader(output);
        var names = new List<string>();
        while (reader.GetNextEntry() is { } e) names.Add(e.Name);
        Assert.Contains("running", names);
        Assert.Equal(ContainerStatus.Running, _containers.Get(a.Id).State);
        // No overlay of this container on the host (tests running in parallel add and remove
        // their own mounts, so the count of all mounts proves nothing).
        Assert.DoesNotContain(File.ReadAllLines("/proc/self/mountinfo"), l => l.Contains(" - overlay ", StringComparison.Ordinal) && l.Contains(a.Id, StringComparison.Ordinal));
        Assert.DoesNotContain(Directory.GetDirectories(Path.GetTempPath(), "containerps-export-*"),
            d => Directory.GetCreationTimeUtc(d) > DateTime.UtcNow.AddMinutes(-1));
    }

    [Fact]
    public async Task Exporting_to_a_file_replaces_it_whole_and_an_unknown_container_writes_nothing()
    {
        var a = await RunToEnd("busybox", "true");
        var tar = _t.PathFor("out.tar");
        File.WriteAllText(tar, "old content");

        await _containers.ExportAsync(a.Id, tar, CancellationToken.None);
        var missing = await Assert.ThrowsAsync<NotFoundException>(() => _containers.ExportAsync("nope", _t.PathFor("nope.tar"), CancellationToken.None));

        Assert.True(new FileInfo(tar).Length > 1024 * 1024); // busybox itself
        Assert.Equal("ContainerNotFound", missing.ErrorId);
        Assert.False(File.Exists(_t.PathFor("nope.tar")));
        Assert.Empty(Directory.GetFiles(_t.Root, ".tmp-*"));
    }
}
