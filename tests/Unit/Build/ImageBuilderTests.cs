using ContainerPS.Engine.Build.Execution;
using ContainerPS.Engine.Errors;
using ContainerPS.Engine.Store;
using ContainerPS.Tests.Unit.Support;
using Xunit;

namespace ContainerPS.Tests.Unit.Build;

/// <summary>Dockerfile builds end to end on real layers and containers: the classic examples, the cache, stages, clean-up, reproducibility.</summary>
public sealed class ImageBuilderTests : IDisposable
{
    private readonly BuildFixture _f = new();

    public void Dispose() => _f.Dispose();

    [Fact]
    public async Task EntrypointPlusCmd_HelloWorld_AndArgumentsReplaceCmd()
    {
        var image = await _f.Build("FROM busybox\nENTRYPOINT [\"echo\"]\nCMD [\"Hello world\"]\n", o => o.Tags.Add("hello:1"));
        Assert.Equal(new[] { "hello:1" }, image.RepoTags);
        Assert.Equal("Hello world", await _f.Run("hello:1"));
        Assert.Equal("Hello CloudMan", await _f.Run("hello:1", "Hello CloudMan"));
    }

    [Fact]
    public async Task ShellFormExpandsVariables_ExecFormDoesNot()
    {
        await _f.Build("FROM busybox\nENV NAME=World\nCMD echo Hello $NAME\n", o => o.Tags.Add("shell"));
        Assert.Equal("Hello World", await _f.Run("shell"));
        await _f.Build("FROM busybox\nENV NAME=World\nCMD [\"echo\", \"Hello $NAME\"]\n", o => o.Tags.Add("exec"));
        Assert.Equal("Hello $NAME", await _f.Run("exec"));
    }

    [Fact]
    public async Task WorkdirEnvAndRun()
    {
        var image = await _f.Build("FROM busybox\nWORKDIR /a\nWORKDIR b\nENV X=1 Y=\"two words\"\nRUN pwd > /where && echo \"$X $Y\" >> /where\nCMD cat /where\n", o => o.Tags.Add("wd"));
        Assert.Equal("/a/b\n1 two words", await _f.Run("wd"));
        Assert.Equal("/a/b", image.Config.WorkingDir);
        Assert.Contains("X=1", image.Config.Env!);
    }

    [Theory]
    [InlineData("z")]
    [InlineData("j")]
    [InlineData("J")]
    public async Task Add_ExtractsLocalArchives(string compression)
    {
        _f.Write("src/hello.txt", "from the archive\n");
        _f.Write("src/sub/deep.txt", "deep\n");
        Tool.Run(Tool.Require("tar"), "-C", Path.Combine(_f.Context, "src"), "-c" + compression + "f", Path.Combine(_f.Context, "app.tar.x"), ".");
        await _f.Build("FROM busybox\nADD app.tar.x /opt/app/\nCOPY app.tar.x /kept.tar\nCMD cat /opt/app/hello.txt /opt/app/sub/deep.txt\n", o => o.Tags.Add("add"));
        Assert.Equal("from the archive\ndeep", await _f.Run("add"));
        Assert.Equal("present", await _f.Run("add", "sh", "-c", "test -f /kept.tar && echo present"));
    }

    [Fact]
    public async Task Copy_Wildcards_ChownChmod_AndSeveralSourcesNeedASlash()
    {
        _f.Write("conf/a.conf", "a\n");
        _f.Write("conf/b.conf", "b\n");
        _f.Write("conf/notes.txt", "not matched\n");
        await _f.Build("FROM busybox\nCOPY --chown=1000:100 --chmod=640 conf/*.conf /etc/app/\n", o => o.Tags.Add("glob"));
        Assert.Equal("a.conf 1000 100 640\nb.conf 1000 100 640",
            await _f.Run("glob", "sh", "-c", "cd /etc/app && for f in *; do stat -c '%n %u %g %a' \"$f\"; done"));

        // Docker: a wildcard matching several files needs a directory destination ending in '/'.
        var ex = await Assert.ThrowsAsync<InvalidArgumentException>(() => _f.Build("FROM busybox\n\nCOPY conf/*.conf /etc/app\n"));
        Assert.Equal("CopyDestinationNotDirectory", ex.ErrorId);
        Assert.Contains(":3: When using COPY with more than one source file, the destination must be a directory and end with a /", ex.Message);
    }

    [Fact]
    public async Task MySqlStyle_CopySetupScript_CmdRunsIt()
    {
        _f.Write("setup.sh", "#!/bin/sh\necho \"creating database $MYSQL_DATABASE\"\necho done\n");
        await _f.Build("FROM busybox\nENV MYSQL_DATABASE=shop\nCOPY setup.sh /docker-entrypoint-initdb.d/\nRUN chmod +x /docker-entrypoint-initdb.d/setup.sh\nCMD [\"/docker-entrypoint-initdb.d/setup.sh\"]\n",
            o => o.Tags.Add("mysqlish"));
        Assert.Equal("creating database shop\ndone", await _f.Run("mysqlish"));
    }

    [Fact]
    public async Task Cache_SecondBuildAllCached_TouchedFileRerunsFromItsStep_NoCacheRunsAll()
    {
        _f.Write("a.txt", "a\n");
        _f.Write("b.txt", "b\n");
        const string dockerfile = "FROM busybox\nENV A=1\nCOPY a.txt /a.txt\nRUN cat /a.txt > /copy\nCOPY b.txt /b.txt\nRUN echo $A\nCMD cat /copy\n";
        var first = await _f.Build(dockerfile, o => o.Tags.Add("cached"));
        Assert.DoesNotContain(_f.Statuses(), s => s.EndsWith("CACHED"));

        var second = await _f.Build(dockerfile, o => o.Tags.Add("cached"));
        Assert.All(_f.Statuses(), s => Assert.EndsWith("CACHED", s));
        Assert.Equal(6, _f.Statuses().Count);
        Assert.Equal(first.Id, second.Id);

        File.SetLastWriteTimeUtc(Path.Combine(_f.Context, "b.txt"), DateTime.UtcNow.AddHours(1)); // mtime only: still cached
        await _f.Build(dockerfile);
        Assert.All(_f.Statuses(), s => Assert.EndsWith("CACHED", s));

        File.WriteAllText(Path.Combine(_f.Context, "b.txt"), "changed\n");
        await _f.Build(dockerfile);
        var statuses = _f.Statuses();
        Assert.EndsWith("CACHED", statuses[2]); // RUN cat /a.txt
        Assert.EndsWith("DONE", statuses[3]);   // COPY b.txt
        Assert.EndsWith("DONE", statuses[4]);   // RUN echo $A

        await _f.Build(dockerfile, o => o.NoCache = true);
        Assert.All(_f.Statuses(), s => Assert.EndsWith("DONE", s));
    }

    [Fact]
    public async Task MultiStage_CopyFrom_SkipsUnneededStages_AndTarget()
    {
        const string dockerfile = "FROM busybox AS build\nRUN echo built > /artifact\n" +
            "FROM busybox AS broken\nRUN exit 7\n" +
            "FROM busybox\nCOPY --from=build /artifact /app/artifact\nCMD cat /app/artifact\n";
        await _f.Build(dockerfile, o => o.Tags.Add("multi"));
        Assert.Equal("built", await _f.Run("multi"));

        var target = await _f.Build(dockerfile, o => { o.Tags.Add("builder"); o.Target = "build"; });
        Assert.Equal("built", await _f.Run("builder", "cat", "/artifact"));

        var e = await Assert.ThrowsAsync<BuildStepFailedException>(() => _f.Build(dockerfile, o => o.Target = "broken"));
        Assert.Equal(7, e.ExitCode);
    }

    [Fact]
    public async Task FailingRun_StopsWithStepAndCode_LeavesStoreAsItWas()
    {
        _f.Write("f.txt", "x\n");
        var store = _f.Harness.Store;
        string Snapshot() => string.Join("\n",
            store.Images.Content.List().Select(d => d.ToString()).Order()
                .Concat(store.Images.LayerStore.List().Select(l => l.ChainId.ToString()).Order())
                .Concat(Directory.Exists(store.Layout.Layers) ? Directory.GetDirectories(store.Layout.Layers).Order() : Array.Empty<string>())
                .Concat(Directory.Exists(store.Layout.Containers) ? Directory.GetFileSystemEntries(store.Layout.Containers) : Array.Empty<string>())
                .Concat(Directory.Exists(store.Layout.BuildCache) ? Directory.GetFiles(store.Layout.BuildCache, "*.json").Where(f => !f.EndsWith("files.json")) : Array.Empty<string>())
                .Append(File.ReadAllText(store.Layout.ImageIndex)));
        var before = Snapshot();
        var e = await Assert.ThrowsAsync<BuildStepFailedException>(() =>
            _f.Build("FROM busybox\nCOPY f.txt /f.txt\nRUN echo partial > /p\nRUN echo failing; exit 42\n", o => o.Tags.Add("never")));
        Assert.Equal(42, e.ExitCode);
        Assert.Equal(4, e.Line);
        Assert.Contains("exit 42", e.Command);
        // The step containers' files are deleted behind their removal (DeferredDeletion).
        Assert.True(DeferredDeletion.WaitIdle(TimeSpan.FromSeconds(10)), "deferred deletions still running");
        Assert.Equal(before, Snapshot());
        Assert.False(store.Images.TryGet("never", out _));
        Assert.Empty(_f.Harness.Containers.List(all: true));
        Assert.DoesNotContain(File.ReadAllText("/proc/self/mountinfo").Split('\n'), l => l.Contains(store.Root));
    }

    [Fact]
    public async Task SourceDateEpoch_NoCacheRebuildsGiveIdenticalDigests()
    {
        _f.Write("app/x.txt", "x\n");
        const string dockerfile = "FROM busybox\nCOPY app /app\nRUN echo run > /app/run.txt && mkdir /made\nWORKDIR /w\nLABEL a=b\n";
        var epoch = DateTimeOffset.FromUnixTimeSeconds(1700000000);
        var one = await _f.Build(dockerfile, o => { o.NoCache = true; o.SourceDateEpoch = epoch; });
        await Task.Delay(1100); // a second later: nothing may depend on the wall clock
        var two = await _f.Build(dockerfile, o => { o.NoCache = true; o.SourceDateEpoch = epoch; });
        Assert.Equal(one.Layers, two.Layers);
        Assert.Equal(one.Id, two.Id);
        Assert.Equal(epoch, one.Created);
    }

    [Fact]
    public async Task History_ShowsStepsLikeDockerHistory()
    {
        _f.Write("f.txt", "x\n");
        var image = await _f.Build("FROM busybox\nENV A=1\nCOPY f.txt /f\nRUN echo hi\nCMD [\"sh\"]\n", o => o.Tags.Add("hist"));
        var rows = _f.Harness.Store.Images.History("hist");
        Assert.Equal("CMD [\"sh\"]", rows[0].CreatedBy);
        Assert.True(rows[0].EmptyLayer);
        Assert.Equal("RUN /bin/sh -c echo hi # buildkit", rows[1].CreatedBy);
        Assert.Equal("COPY f.txt /f # buildkit", rows[2].CreatedBy);
        Assert.False(rows[2].EmptyLayer);
        Assert.Equal("ENV A=1", rows[3].CreatedBy);
    }

    [Fact]
    public async Task Errors_NameFileAndLine()
    {
        var missing = await Assert.ThrowsAsync<NotFoundException>(() => _f.Build("FROM busybox\n\nCOPY nothere.txt /x\n"));
        Assert.Contains("Dockerfile:3", missing.Message);
        var baseMissing = await Assert.ThrowsAsync<NotFoundException>(() => _f.Build("FROM nosuchimage:1\n"));
        Assert.Equal("BaseImageNotFound", baseMissing.ErrorId);
        var parse = await Assert.ThrowsAsync<DockerfileParseException>(() => _f.Build("FROM busybox\nBOGUS x\n"));
        Assert.Equal(2, parse.Line);
    }

    [Fact]
    public async Task AddUrl_DownloadsFromALocalServer()
    {
        using var server = new System.Net.HttpListener();
        var port = FreePort();
        server.Prefixes.Add($"http://127.0.0.1:{port}/");
        server.Start();
        var serving = Task.Run(async () =>
        {
            var ctx = await server.GetContextAsync();
            var body = System.Text.Encoding.UTF8.GetBytes("downloaded content\n");
            ctx.Response.ContentLength64 = body.Length;
            await ctx.Response.OutputStream.WriteAsync(body);
            ctx.Response.Close();
        });
        await _f.Build($"FROM busybox\nADD http://127.0.0.1:{port}/files/data.txt /srv/\nCMD cat /srv/data.txt\n", o => o.Tags.Add("url"));
        await serving;
        Assert.Equal("downloaded content", await _f.Run("url"));
        Assert.Equal("600", await _f.Run("url", "stat", "-c", "%a", "/srv/data.txt"));
    }

    private static int FreePort()
    {
        var l = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        l.Start();
        var port = ((System.Net.IPEndPoint)l.LocalEndpoint).Port;
        l.Stop();
        return port;
    }

    [Fact]
    public async Task Onbuild_IsStored_AndTriggeredWhenUsedAsBase()
    {
        _f.Write("payload.txt", "payload\n");
        var parent = await _f.Build("FROM busybox\nONBUILD COPY payload.txt /from-trigger.txt\nONBUILD RUN echo triggered > /ran\n", o => o.Tags.Add("onbuild-base"));
        Assert.Equal(2, parent.Config.OnBuild!.Count);
        var child = await _f.Build("FROM onbuild-base\nCMD cat /from-trigger.txt /ran\n", o => o.Tags.Add("onbuild-child"));
        Assert.Equal("payload\ntriggered", await _f.Run("onbuild-child"));
        Assert.Null(child.Config.OnBuild);
    }

    [Fact]
    public async Task DockerfileOutsideTheContext_AndBuildArgs()
    {
        var outside = _f.Harness.Store.PathFor("elsewhere.Dockerfile");
        File.WriteAllText(outside, "FROM busybox\nARG GREETING=hello\nRUN echo \"$GREETING\" > /greeting\nCMD cat /greeting\n");
        _f.Write("Dockerfile", "FROM scratch\n");
        await new ImageBuilder(_f.Harness.Containers).BuildAsync(new BuildOptions
        {
            ContextPath = _f.Context, DockerfilePath = outside, Tags = { "argy" }, BuildArgs = { ["GREETING"] = "bonjour" },
        }, null, CancellationToken.None);
        Assert.Equal("bonjour", await _f.Run("argy"));
    }

    [Fact]
    public async Task Cancel_DuringRun_RemovesEverything()
    {
        var store = _f.Harness.Store;
        var blobs = store.Images.Content.List().ToHashSet();
        using var cts = new CancellationTokenSource();
        _f.Write("Dockerfile", "FROM busybox\nRUN echo started; sleep 30\n");
        var options = new BuildOptions
        {
            ContextPath = _f.Context, Tags = { "cancelled" },
            Output = o => { if (o.Text == "started") cts.Cancel(); },
        };
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => new ImageBuilder(_f.Harness.Containers).BuildAsync(options, null, cts.Token));
        Assert.Empty(_f.Harness.Containers.List(all: true));
        Assert.Equal(blobs, store.Images.Content.List().ToHashSet());
        Assert.False(store.Images.TryGet("cancelled", out _));
    }

    [Fact]
    public async Task DockerIgnore_KeepsFilesOutOfTheContext_AndOutOfTheCacheKey()
    {
        _f.Write("app/main.sh", "echo main\n");
        _f.Write("app/debug.log", "noise\n");
        _f.Write("app/logs/keep.log", "kept\n");
        _f.Write("secret.txt", "password\n");
        _f.Write(".dockerignore", "**/*.log\n!app/logs/keep.log\nsecret.txt\n");
        const string dockerfile = "FROM busybox\nCOPY . /ctx/\nCMD find /ctx -type f\n";
        await _f.Build(dockerfile, o => o.Tags.Add("ignored"));
        var files = (await _f.Run("ignored")).Split('\n').Order().ToList();
        Assert.Equal(new[] { "/ctx/.dockerignore", "/ctx/Dockerfile", "/ctx/app/logs/keep.log", "/ctx/app/main.sh" }, files);

        var missing = await Assert.ThrowsAsync<NotFoundException>(() => _f.Build("FROM busybox\nCOPY secret.txt /\n"));
        Assert.Contains("excluded by .dockerignore", missing.Message);

        await _f.Build(dockerfile, o => o.Tags.Add("ignored"));
        File.WriteAllText(Path.Combine(_f.Context, "app", "debug.log"), "changed noise\n"); // ignored: the COPY stays cached
        await _f.Build(dockerfile, o => o.Tags.Add("ignored"));
        Assert.All(_f.Statuses(), s => Assert.EndsWith("CACHED", s));
    }

    [Fact]
    public async Task Run_GetsTheDefaultBridge_UnlessNetworkNone()
    {
        const string dockerfile = "FROM busybox\nRUN cat /proc/net/dev > /bridged\nRUN --network=none cat /proc/net/dev > /isolated\nCMD cat /bridged\n";
        await _f.Build(dockerfile, o => o.Tags.Add("net"));
        Assert.Contains("eth0", await _f.Run("net"));
        Assert.DoesNotContain("eth0", await _f.Run("net", "cat", "/isolated"));
        await _f.Build("FROM busybox\nRUN cat /proc/net/dev > /n\nCMD cat /n\n", o => { o.Tags.Add("net-none"); o.Network = "none"; });
        Assert.DoesNotContain("eth0", await _f.Run("net-none"));
    }

    [Fact]
    public async Task RunMounts_CacheSurvivesBuilds_BindReadsTheContext_NeitherReachesTheLayer()
    {
        _f.Write("conf/app.conf", "setting=1\n");
        const string dockerfile = "FROM busybox\n" +
            "RUN --mount=type=cache,target=/var/cache/app --mount=type=bind,source=conf,target=/conf " +
            "cat /conf/app.conf > /seen && echo run >> /var/cache/app/runs && wc -l < /var/cache/app/runs > /count\n" +
            "CMD cat /seen /count; ls /var/cache/app\n";
        await _f.Build(dockerfile, o => { o.Tags.Add("mounts"); o.NoCache = true; });
        await _f.Build(dockerfile, o => { o.Tags.Add("mounts"); o.NoCache = true; });
        Assert.Equal("setting=1\n2", await _f.Run("mounts"));
        var rw = await Assert.ThrowsAsync<InvalidArgumentException>(() => _f.Build("FROM busybox\nRUN --mount=type=secret,id=x true\n"));
        Assert.Equal("UnsupportedRunMount", rw.ErrorId);
    }

    [Fact]
    public async Task Copy_AfterAChange_LinksTheUnchangedFilesFromItsPreviousLayer()
    {
        for (var i = 0; i < 100; i++) _f.Write($"site/f{i:000}.txt", $"file {i}\n");
        const string dockerfile = "FROM busybox\nCOPY site/ /site/\nCMD cat /site/f007.txt /site/f042.txt\n";
        var first = await _f.Build(dockerfile, o => o.Tags.Add("linked"));
        File.WriteAllText(Path.Combine(_f.Context, "site", "f042.txt"), "changed\n");
        var second = await _f.Build(dockerfile, o => o.Tags.Add("linked"));
        Assert.Equal("file 7\nchanged", await _f.Run("linked"));

        var layers = _f.Harness.Store.Images.LayerStore;
        string Layer(Engine.Images.Image image, string file) =>
            Path.Combine(layers.DiffPath(Engine.Layers.ChainId.For(image.Layers.Select(Engine.Store.Digest.Parse)).Last()), "site", file);
        ulong Inode(string path) => Engine.Interop.FileSystem.LStat(path).Inode;
        Assert.Equal(Inode(Layer(first, "f007.txt")), Inode(Layer(second, "f007.txt")));
        Assert.NotEqual(Inode(Layer(first, "f042.txt")), Inode(Layer(second, "f042.txt")));
        Assert.Equal("file 42\n", File.ReadAllText(Layer(first, "f042.txt"))); // the old layer is untouched
    }

    [Fact]
    public async Task IndependentStages_BuildAtTheSameTime()
    {
        // Each stage marks itself in a shared cache mount and waits (up to 10 s) for the other's mark:
        // both succeed only when the two RUN steps run concurrently.
        static string Stage(string me, string other) =>
            $"FROM busybox AS {me}\nRUN --mount=type=cache,target=/sync,id=parallel-test " +
            $"touch /sync/{me}; i=0; while [ ! -e /sync/{other} ]; do i=$((i+1)); [ $i -gt 100 ] && exit 9; sleep 0.1; done; echo {me} > /{me}\n";
        var dockerfile = Stage("left", "right") + Stage("right", "left") +
            "FROM busybox\nCOPY --from=left /left /l\nCOPY --from=right /right /r\nCMD cat /l /r\n";
        await _f.Build(dockerfile, o => o.Tags.Add("parallel"));
        Assert.Equal("left\nright", await _f.Run("parallel"));
    }
}
