using System.Security.Cryptography;
using System.Text.Json;
using ContainerPS.Engine.Images;
using ContainerPS.Engine.Store;
using ContainerPS.Tests.Unit.Support;

namespace ContainerPS.Tests.Unit.Interop;

/// <summary>
/// Archives move between this engine and skopeo (containers/image, the library podman and
/// buildah use) in both directions, with the same digests.
/// </summary>
public sealed class SkopeoInteropTests : IDisposable
{
    private readonly TempStore _t = new();
    private readonly string _skopeo = Tool.Require("skopeo");

    public void Dispose() { if (Environment.GetEnvironmentVariable("KEEP_TEST_DIR") is null) _t.Dispose(); else Console.WriteLine("KEPT " + _t.Root); }

    private async Task<Image> MakeImage()
    {
        var tar = new TarBuilder().Dir("etc/").File("etc/hostname", "box\n").Dir("bin/").File("bin/run", "#!/bin/sh\n", (UnixFileMode)0b111_101_101)
            .WriteTo(_t.PathFor("rootfs.tar"));
        return await _t.Images.ImportAsync(tar, "interop/app:1.0", new[] { "CMD [\"/bin/run\"]" }, null, null, CancellationToken.None);
    }

    [Fact]
    public async Task Skopeo_reads_what_save_writes_as_docker_archive_and_oci_archive_with_the_same_digests()
    {
        var image = await MakeImage();
        var archive = _t.PathFor("saved.tar");
        await _t.Images.SaveAsync(new[] { "interop/app:1.0" }, archive, null, CancellationToken.None);

        using var docker = JsonDocument.Parse(Tool.Check(_skopeo, "inspect", "docker-archive:" + archive));
        Assert.Equal(image.Layers, docker.RootElement.GetProperty("Layers").EnumerateArray().Select(e => e.GetString()!));
        var dockerConfig = Tool.Check(_skopeo, "inspect", "--config", "--raw", "docker-archive:" + archive);
        Assert.Equal(image.Id, "sha256:" + Convert.ToHexString(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(dockerConfig))).ToLowerInvariant());

        using var oci = JsonDocument.Parse(Tool.Check(_skopeo, "inspect", "oci-archive:" + archive));
        Assert.Equal(image.ManifestDigest, oci.RootElement.GetProperty("Digest").GetString());
        Assert.Equal(image.Layers, oci.RootElement.GetProperty("Layers").EnumerateArray().Select(e => e.GetString()!));
    }

    [Theory]
    [InlineData("docker-archive")]
    [InlineData("oci-archive")]
    public async Task Archives_skopeo_copy_produces_load_here_with_the_same_image_id(string transport)
    {
        var image = await MakeImage();
        var saved = _t.PathFor("saved.tar");
        await _t.Images.SaveAsync(new[] { "interop/app:1.0" }, saved, null, CancellationToken.None);
        var copied = _t.PathFor("copied-" + transport + ".tar");
        Tool.Check(_skopeo, "copy", "--quiet", "docker-archive:" + saved, $"{transport}:{copied}:interop/copied:2");

        var other = new ImageStore(new StoreLayout(_t.PathFor("store2")));
        var loaded = await other.LoadAsync(copied, null, CancellationToken.None);
        var only = Assert.Single(loaded);
        Assert.Equal(image.Id, only.Id);
        Assert.Equal(image.Layers, only.Layers);
        Assert.Contains("interop/copied:2", only.RepoTags);
    }
}
