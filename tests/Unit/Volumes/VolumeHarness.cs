using ContainerPS.Engine.Containers;
using ContainerPS.Engine.Containers.Commit;
using ContainerPS.Tests.Unit.Containers;

namespace ContainerPS.Tests.Unit.Volumes;

/// <summary>Helpers the volume and copy tests share on top of <see cref="ContainerHarness"/>.</summary>
internal static class VolumeHarness
{
    /// <summary>
    /// "withdata": busybox plus /data holding files with owners, modes and a symlink (made by a
    /// container, committed), with <c>VOLUME /data</c>.
    /// </summary>
    public static async Task<string> ImageWithData(ContainerHarness h, string reference = "withdata")
    {
        var r = await h.RunToEnd("sh", "-c",
            "mkdir -p /data/sub && echo image > /data/file && chown 1000:1000 /data/file && chmod 600 /data/file && " +
            "ln -s file /data/link && echo deep > /data/sub/deep && chown 1000:1000 /data && chmod 750 /data");
        Assert.Equal(0, r.ExitCode);
        await h.Containers.CommitAsync(r.Id, new CommitOptions { Reference = reference, Changes = new[] { "VOLUME /data" } }, CancellationToken.None);
        await h.Containers.RemoveAsync(r.Id, force: true, CancellationToken.None);
        return reference;
    }

    /// <summary>Mount points under <paramref name="root"/> in this process's mount namespace (what a leak would leave).</summary>
    public static List<string> MountsUnder(string root) =>
        File.ReadAllLines("/proc/self/mountinfo").Select(l => l.Split(' ')[4]).Where(p => p.StartsWith(root, StringComparison.Ordinal)).ToList();

    public static string Stat(string path) => Support.Tool.Check("stat", "-c", "%u:%g %a %F", path).Trim();
}
