using ContainerPS.Engine.Containers.Commit;
using ContainerPS.Engine.Errors;
using ContainerPS.Runtime.Monitor;

namespace ContainerPS.Tests.Unit.Commit;

/// <summary>The read-only overlay that export mounts, described from the container's rootfs.json.</summary>
public sealed class RootfsExportTests
{
    [Fact]
    public void The_upper_directory_becomes_the_top_lower_directory_and_upper_only_options_go()
    {
        var rootfs = new MountDescription
        {
            WorkingDirectory = "/store/layers",
            Options = new() { "lowerdir=l/AAA:l/BBB", "upperdir=/store/containers/abc/diff", "workdir=/store/containers/abc/work", "volatile", "userxattr" },
        };

        Assert.Equal("lowerdir=../containers/abc/diff:l/AAA:l/BBB,userxattr", RootfsExport.MountData(rootfs, "/unused"));
    }

    [Fact]
    public void Without_a_working_directory_paths_stay_absolute()
    {
        var rootfs = new MountDescription { Options = new() { "lowerdir=/a:/b" } };

        Assert.Equal("lowerdir=/c/diff:/a:/b", RootfsExport.MountData(rootfs, "/c/diff"));
    }

    [Fact]
    public void A_mount_that_is_not_an_overlay_with_lower_directories_is_refused()
    {
        Assert.Equal("InvalidRootfs", Assert.Throws<InvalidArgumentException>(() =>
            RootfsExport.MountData(new MountDescription { Type = "bind", Options = new() { "rbind" } }, "/d")).ErrorId);
        Assert.Equal("InvalidRootfs", Assert.Throws<InvalidArgumentException>(() =>
            RootfsExport.MountData(new MountDescription { Options = new() { "upperdir=/u" } }, "/d")).ErrorId);
    }
}
