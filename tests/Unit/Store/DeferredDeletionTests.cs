using ContainerPS.Engine.Store;
using ContainerPS.Tests.Unit.Support;

namespace ContainerPS.Tests.Unit.Store;

public sealed class DeferredDeletionTests : IDisposable
{
    private readonly TempStore _t = new();

    public void Dispose() => _t.Dispose();

    [Fact]
    public void A_queued_directory_is_deleted_with_its_tree_and_the_follow_up_runs_after_it()
    {
        var dir = Tree("doomed");
        var sawDirectory = true;
        DeferredDeletion.Delete(dir, () => sawDirectory = Directory.Exists(dir));

        Assert.True(DeferredDeletion.WaitIdle(TimeSpan.FromSeconds(10)));
        Assert.False(Directory.Exists(dir));
        Assert.False(sawDirectory);
    }

    [Fact]
    public void A_directory_someone_else_deleted_first_is_not_an_error()
    {
        var dir = Tree("gone");
        Directory.Delete(dir, recursive: true);
        var ran = false;
        DeferredDeletion.Delete(dir, () => ran = true);

        Assert.True(DeferredDeletion.WaitIdle(TimeSpan.FromSeconds(10)));
        Assert.True(ran);
    }

    [Fact]
    public void A_sweep_takes_leftovers_with_the_given_prefixes_once_and_leaves_the_rest()
    {
        var parent = _t.PathFor("containers");
        var leftover = Tree(Path.Combine("containers", ".rm-abc"));
        var monitors = Tree(Path.Combine("containers", ".tmp-rm-def"));
        var live = Tree(Path.Combine("containers", "0123456789"));
        var creating = Tree(Path.Combine("containers", ".new-xyz"));

        DeferredDeletion.SweepOnce(parent, ".rm-", ".tmp-rm-");
        Assert.True(DeferredDeletion.WaitIdle(TimeSpan.FromSeconds(10)));
        Assert.False(Directory.Exists(leftover));
        Assert.False(Directory.Exists(monitors));
        Assert.True(Directory.Exists(live));
        Assert.True(Directory.Exists(creating));

        // Once per process and directory: what this process removes it deletes itself.
        var later = Tree(Path.Combine("containers", ".rm-later"));
        DeferredDeletion.SweepOnce(parent, ".rm-");
        Assert.True(DeferredDeletion.WaitIdle(TimeSpan.FromSeconds(10)));
        Assert.True(Directory.Exists(later));
    }

    [Fact]
    public void Waiting_for_idle_times_out_while_a_deletion_is_still_running()
    {
        var dir = Tree("slow");
        using var release = new ManualResetEventSlim();
        DeferredDeletion.Delete(dir, () => release.Wait(TimeSpan.FromSeconds(10)));

        Assert.False(DeferredDeletion.WaitIdle(TimeSpan.FromMilliseconds(50)));
        release.Set();
        Assert.True(DeferredDeletion.WaitIdle(TimeSpan.FromSeconds(10)));
    }

    /// <summary>A directory with nested files and a read-only subdirectory, as a container's layer has.</summary>
    private string Tree(string relative)
    {
        var dir = _t.PathFor(relative);
        Directory.CreateDirectory(Path.Combine(dir, "diff", "etc"));
        File.WriteAllText(Path.Combine(dir, "diff", "etc", "passwd"), "root:x:0:0::/root:/bin/sh\n");
        File.WriteAllText(Path.Combine(dir, "container.json"), "{}");
        Directory.CreateDirectory(Path.Combine(dir, "work", "work"));
        return dir;
    }
}
