using ContainerPS.Engine.Containers;
using ContainerPS.Engine.Store;
using ContainerPS.Runtime.Cgroups;

namespace ContainerPS.Tests.Unit.Containers;

/// <summary>docker run --rm: the monitor removes the container once it has exited.</summary>
[Collection("Containers")]
public sealed class AutoRemoveTests : IDisposable
{
    private readonly ContainerHarness _h = new();

    public void Dispose() => _h.Dispose();

    [Fact]
    public async Task An_auto_remove_container_is_gone_after_it_exits()
    {
        var c = _h.Run(new ContainerCreateOptions { AutoRemove = true, Command = new[] { "sh", "-c", "echo bye; exit 3" } });
        Assert.Equal(3, await _h.Wait(c.Id));
        Assert.True(await ContainerHarness.Eventually(() => !_h.Containers.TryGet(c.Id, out _), TimeSpan.FromSeconds(3)), "removed");
        Assert.False(Directory.Exists(_h.DirOf(c.Id)));
        // The monitor renames the directory aside, then deletes it.
        Assert.True(await ContainerHarness.Eventually(() => !Directory.EnumerateFileSystemEntries(_h.Store.Layout.Containers).Any(), TimeSpan.FromSeconds(3)),
            string.Join(", ", Directory.EnumerateFileSystemEntries(_h.Store.Layout.Containers)));
        Assert.DoesNotContain(_h.Containers.List(all: true), x => x.Id == c.Id);
        Assert.True(await ContainerHarness.Eventually(() => !CgroupManagerFactory.For(c.Id).Exists && !ContainerHarness.MonitorProcessAlive(c.Id), TimeSpan.FromSeconds(3)));
    }

    [Fact]
    public async Task An_auto_remove_container_stopped_is_gone_too()
    {
        var c = _h.Run(new ContainerCreateOptions { AutoRemove = true, Command = new[] { "sh", "-c", "trap 'exit 0' TERM; while true; do sleep 0.05; done" } });
        await _h.Stop(c.Id, 5, null);
        Assert.True(await ContainerHarness.Eventually(() => !_h.Containers.TryGet(c.Id, out _), TimeSpan.FromSeconds(3)), "removed");
    }

    [Fact]
    public async Task A_monitor_outliving_its_store_does_not_create_the_store_again()
    {
        // As when a test's temporary store is deleted while an -AutoRemove container still
        // runs: the monitor's exit (state, store lock, removal) must not bring directories back.
        var root = _h.Store.Layout.Root;
        var c = _h.Run(new ContainerCreateOptions { AutoRemove = true, Command = new[] { "sh", "-c", "sleep 1; exit 0" } });
        Directory.Delete(root, recursive: true);
        Assert.True(await ContainerHarness.Eventually(() => !ContainerHarness.MonitorProcessAlive(c.Id), TimeSpan.FromSeconds(15)), "monitor still running");
        Assert.False(Directory.Exists(root), Directory.Exists(root) ? string.Join(", ", Directory.EnumerateFileSystemEntries(root, "*", SearchOption.AllDirectories)) : "");
        Assert.False(CgroupManagerFactory.For(c.Id).Exists);
        // Its network (machine-wide: netns, veth, rules, lease) is torn down all the same,
        // from the copy of network.json the monitor read at start.
        Assert.False(File.Exists(ContainerPS.Runtime.Networking.NetworkNamespace.PathFor(c.Id)));
        Assert.DoesNotContain(c.Id, ContainerPS.Tests.Unit.Networking.NetworkTestSupport.IptablesSave());
        Assert.False(File.Exists(Path.Combine("/run/containerps", c.Id + ".network.json")));
    }

    [Fact]
    public async Task Removing_a_running_auto_remove_container_leaves_no_directory_behind()
    {
        var c = _h.Run(new ContainerCreateOptions { AutoRemove = true, Command = new[] { "sleep", "600" } });
        await _h.Containers.RemoveAsync(c.Id, force: true, CancellationToken.None);
        Assert.True(await ContainerHarness.Eventually(() => !ContainerHarness.MonitorProcessAlive(c.Id), TimeSpan.FromSeconds(15)), "monitor still running");
        Assert.True(DeferredDeletion.WaitIdle(TimeSpan.FromSeconds(10)), "deferred deletions still running");
        Assert.Empty(Directory.EnumerateFileSystemEntries(_h.Store.Layout.Containers));
    }

    [Fact]
    public void An_auto_remove_container_that_cannot_start_leaves_nothing()
    {
        Assert.Throws<ContainerStartException>(() => _h.Run(new ContainerCreateOptions { AutoRemove = true, Command = new[] { "/no/such" } }));
        Assert.Empty(_h.Containers.List(all: true));
    }
}
