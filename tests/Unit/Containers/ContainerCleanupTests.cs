using ContainerPS.Engine.Containers;
using ContainerPS.Engine.Store;
using ContainerPS.Runtime.Monitor;

namespace ContainerPS.Tests.Unit.Containers;

/// <summary>
/// Removing containers leaves nothing behind on the host: no mounts, no cgroups, no monitor or
/// container processes, no sockets, no directories.
/// </summary>
[Collection("Containers")]
public sealed class ContainerCleanupTests : IDisposable
{
    private readonly ContainerHarness _h = new();

    public void Dispose() => _h.Dispose();

    [Fact]
    public async Task A_store_deleted_right_after_a_removal_is_not_brought_back_by_the_exiting_monitor()
    {
        // As a test's TempStore does after Remove -Force: the monitor is still tearing down
        // (network, peers' hosts files under the store lock) when the store goes.
        var root = _h.Store.Layout.Root;
        var c = _h.Run("sleep", "1000");
        await _h.Containers.RemoveAsync(c.Id, force: true, CancellationToken.None);
        DeferredDeletion.WaitIdle(TimeSpan.FromSeconds(10)); // as TempStore does: the removed container's files first
        Directory.Delete(root, recursive: true);
        Assert.True(await ContainerHarness.Eventually(() => !ContainerHarness.MonitorProcessAlive(c.Id), TimeSpan.FromSeconds(15)), "monitor still running");
        await Task.Delay(200);
        Assert.False(Directory.Exists(root), Directory.Exists(root) ? string.Join(", ", Directory.EnumerateFileSystemEntries(root, "*", SearchOption.AllDirectories)) : "");
    }

    [Fact]
    public async Task Removing_every_container_leaves_no_trace()
    {
        var running = _h.Run("sleep", "1000");
        var paused = _h.Run("sleep", "1000");
        await _h.Containers.PauseAsync(paused.Id, true, CancellationToken.None);
        var exited = await _h.RunToEnd("sh", "-c", "echo data > /tmp/file");
        var created = _h.Containers.Create(new ContainerCreateOptions { Image = "busybox", Command = new[] { "true" } });
        var restarting = _h.Run(new ContainerCreateOptions { RestartPolicy = "always", Command = new[] { "sh", "-c", "exit 1" } });
        var ids = new[] { running.Id, paused.Id, exited.Id, created.Id, restarting.Id };
        Assert.Equal(ContainerStatus.Paused, _h.Containers.Get(paused.Id).State);

        foreach (var id in ids)
            await _h.Containers.RemoveAsync(id, force: true, CancellationToken.None);

        Assert.Empty(_h.Containers.List(all: true));
        // Renamed out of sight at once; their files are deleted behind the removal.
        Assert.All(Directory.EnumerateFileSystemEntries(_h.Store.Layout.Containers), e => Assert.StartsWith(".rm-", Path.GetFileName(e)));
        Assert.True(DeferredDeletion.WaitIdle(TimeSpan.FromSeconds(10)), "deferred deletions still running");
        Assert.Empty(Directory.EnumerateFileSystemEntries(_h.Store.Layout.Containers));
        var root = _h.Store.Root;
        foreach (var id in ids)
        {
            Assert.True(await ContainerHarness.Eventually(() => ContainerHarness.ProcessesMentioning(id).Count == 0, TimeSpan.FromSeconds(3)),
                $"processes of {id}: {string.Join(", ", ContainerHarness.ProcessesMentioning(id))}");
            Assert.Empty(CgroupDirectories(id));
            Assert.False(File.Exists($"/run/containerps/{id}.sock"));
        }
        var mounts = File.ReadAllLines("/proc/self/mountinfo");
        Assert.DoesNotContain(mounts, l => l.Contains(root, StringComparison.Ordinal));
        Assert.DoesNotContain(mounts, l => l.Contains(" overlay ", StringComparison.Ordinal) && ids.Any(id => l.Contains(id, StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_removed_containers_name_is_free_at_once_and_its_files_go_behind_the_removal()
    {
        var first = await _h.RunToEnd(new ContainerCreateOptions { Name = "reused", Command = new[] { "sh", "-c", "echo data > /tmp/file" } });
        await _h.Containers.RemoveAsync(first.Id, force: false, CancellationToken.None);

        Assert.False(_h.Containers.TryGet(first.Id, out _));
        Assert.False(Directory.Exists(_h.DirOf(first.Id)));
        var second = _h.Containers.Create(new ContainerCreateOptions { Image = "busybox", Name = "reused", Command = new[] { "true" } });
        Assert.Equal("reused", second.Name);
        Assert.True(DeferredDeletion.WaitIdle(TimeSpan.FromSeconds(10)), "deferred deletions still running");
        Assert.Equal(new[] { second.Id }, Directory.EnumerateFileSystemEntries(_h.Store.Layout.Containers).Select(Path.GetFileName));
    }

    [Fact]
    public async Task A_running_container_has_a_cgroup_and_a_monitor_and_an_exited_one_neither()
    {
        var c = _h.Run("sleep", "1000");
        Assert.NotEmpty(CgroupDirectories(c.Id));
        Assert.True(ContainerHarness.MonitorProcessAlive(c.Id));
        // The container's rootfs is mounted in its own mount namespace only.
        Assert.DoesNotContain(File.ReadAllLines("/proc/self/mountinfo"), l => l.Contains(_h.Store.Root, StringComparison.Ordinal));

        await _h.Kill(c.Id, null);
        Assert.True(await ContainerHarness.Eventually(() => CgroupDirectories(c.Id).Count == 0 && !ContainerHarness.MonitorProcessAlive(c.Id), TimeSpan.FromSeconds(3)));
        Assert.True(Directory.Exists(_h.DirOf(c.Id)), "an exited container keeps its files until removed");
    }

    /// <summary>/sys/fs/cgroup/&lt;controller&gt;/containerps/&lt;id&gt; (v1, hybrid) and the unified tree's.</summary>
    private static List<string> CgroupDirectories(string id)
    {
        var result = new List<string>();
        foreach (var hierarchy in Directory.EnumerateDirectories("/sys/fs/cgroup"))
        {
            var dir = Path.Combine(hierarchy, "containerps", id);
            if (Directory.Exists(dir)) result.Add(dir);
        }
        if (Directory.Exists(Path.Combine("/sys/fs/cgroup/containerps", id))) result.Add(Path.Combine("/sys/fs/cgroup/containerps", id));
        return result;
    }
}
