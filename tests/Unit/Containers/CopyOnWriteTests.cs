using ContainerPS.Engine.Containers;

namespace ContainerPS.Tests.Unit.Containers;

/// <summary>
/// A container writes to its own overlay upper dir: the image's layers never change, other
/// containers of the same image see the original files, and the container keeps its changes
/// across a restart.
/// </summary>
[Collection("Containers")]
public sealed class CopyOnWriteTests : IDisposable
{
    private const string Passwd = "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/home:/bin/false\napp:x:1000:1000:app:/home:/bin/sh\n";
    private readonly ContainerHarness _h = new();

    public void Dispose() => _h.Dispose();

    private string LayerDiff()
    {
        var layers = Directory.EnumerateDirectories(_h.Store.Layout.Layers)
            .Where(d => File.Exists(Path.Combine(d, "layer.json"))).ToList();
        return Path.Combine(Assert.Single(layers), "diff");
    }

    [Fact]
    public async Task Changes_and_deletions_stay_in_the_container()
    {
        var layer = LayerDiff();
        var r = await _h.RunToEnd("sh", "-c", "echo changed > /etc/passwd; rm /etc/group; rm /bin/vi; echo new > /created; cat /etc/passwd; ls /etc/group 2>&1 >/dev/null | wc -l");
        Assert.Equal(0, r.ExitCode);
        Assert.Equal(new[] { "changed", "1" }, r.Lines);

        // The image's layer is untouched...
        Assert.Equal(Passwd, File.ReadAllText(Path.Combine(layer, "etc", "passwd")));
        Assert.True(File.Exists(Path.Combine(layer, "etc", "group")));
        Assert.True(File.Exists(Path.Combine(layer, "bin", "vi")));
        Assert.False(File.Exists(Path.Combine(layer, "created")));
        // ...the changes are in the container's upper dir (a deletion is a whiteout: char device 0:0).
        var upper = Path.Combine(_h.DirOf(r.Id), "diff");
        Assert.Equal("changed\n", File.ReadAllText(Path.Combine(upper, "etc", "passwd")));
        Assert.Equal("character special file 0:0", Support.Tool.Check("stat", "-c", "%F %t:%T", Path.Combine(upper, "etc", "group")).Trim());

        // ...and another container of the same image sees the original files.
        var other = await _h.RunToEnd("sh", "-c", "cat /etc/passwd; test -e /etc/group && echo group; test -e /bin/vi && echo vi; test -e /created || echo no-created");
        Assert.Equal(0, other.ExitCode);
        Assert.Equal(Passwd.TrimEnd('\n').Split('\n').Concat(new[] { "group", "vi", "no-created" }), other.Lines);
    }

    [Fact]
    public async Task A_container_keeps_its_changes_across_stop_and_start()
    {
        // Counts its runs in a file of its own and deletes an image file on the first run.
        var c = _h.Run(new ContainerCreateOptions
        {
            Command = new[] { "sh", "-c", "trap 'exit 0' TERM; echo run >> /root/runs; wc -l < /root/runs; test -e /etc/group && echo group-present || echo group-absent; rm -f /etc/group; while true; do sleep 0.05; done" },
        });
        // Stop only after the first run has deleted /etc/group (its whiteout is in the upper dir):
        // the TERM trap would otherwise end it between writing /root/runs and the rm.
        Assert.True(await ContainerHarness.Eventually(() => File.Exists(Path.Combine(_h.DirOf(c.Id), "diff", "etc", "group")), TimeSpan.FromSeconds(15)));
        var stopped = await _h.Stop(c.Id, 5, null);
        Assert.Equal(0, stopped.ExitCode);
        await _h.Settled(c.Id, TimeSpan.FromSeconds(3));

        _h.Containers.Start(c.Id);
        await ContainerHarness.Eventually(() => _h.Logs(c.Id).GetAwaiter().GetResult().Stdout.Split('\n').Length >= 4, TimeSpan.FromSeconds(15));
        await _h.Stop(c.Id, 5, null);

        var (stdout, _) = await _h.Logs(c.Id);
        Assert.Equal(new[] { "1", "group-present", "2", "group-absent" }, stdout.Split('\n').Select(l => l.Trim()));
        Assert.True(File.Exists(Path.Combine(LayerDiff(), "etc", "group")));
    }
}
