using System.Text;
using System.Text.Json;
using ContainerPS.Runtime.Init;
using ContainerPS.Runtime.Spec;
using ContainerPS.Tests.Unit.Spec;
using ContainerPS.Tests.Unit.Support;

namespace ContainerPS.Tests.Unit.Runtime;

/// <summary>
/// The init reads config.json with <see cref="InitSpecReader"/> (no serializer: it is on every
/// container start); these hold it to the serializer path, <see cref="SpecAdapter.FromSpec"/>
/// over <see cref="SpecJson"/>, on the engine's own specs, the OCI runtimes' templates and
/// hand-written edge cases, and check that bad documents fail the same way.
/// </summary>
public sealed class InitSpecReaderTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("cps-initspec-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private const string Bundle = "/bundles/b1";

    /// <summary>Both paths' requests as one canonical JSON text (records compare lists by reference).</summary>
    private static string Canonical(InitRequest request) => JsonSerializer.Serialize(request, new JsonSerializerOptions { WriteIndented = true });

    private static void AssertSame(string json)
    {
        var spec = SpecJson.Deserialize(json);
        var root = spec.Root?.Path ?? "rootfs";
        var expected = SpecAdapter.FromSpec(spec, Path.IsPathRooted(root) ? root : Path.Combine(Bundle, root));
        var actual = InitSpecReader.Read(Encoding.UTF8.GetBytes(json), Bundle);
        Assert.Equal(Canonical(expected), Canonical(actual));
    }

    [Fact]
    public void Engine_specs_read_the_same_as_through_the_serializer()
    {
        var plain = SpecTestBuilder.Options("sh", "-c", "echo hi");
        AssertSame(SpecJson.Serialize(SpecTestBuilder.Builder().Build(SpecTestBuilder.Input(plain))));

        var rich = SpecTestBuilder.Options("/bin/server", "--port", "80");
        rich.Tty = true;
        rich.ReadOnlyRootfs = true;
        rich.User = "1000:1000";
        rich.WorkingDir = "/srv";
        rich.Hostname = "web";
        rich.Environment["A"] = "1";
        rich.Environment["B"] = "two words";
        rich.Environment["C"] = "ünïcode";
        rich.Tmpfs = new() { "/run:size=1m" };
        AssertSame(SpecJson.Serialize(SpecTestBuilder.Builder().Build(SpecTestBuilder.Input(rich))));
    }

    [Theory]
    [InlineData("runc")]
    [InlineData("crun")]
    public void Runtime_templates_read_the_same(string runtime)
    {
        var exe = Tool.Find(runtime);
        if (exe is null) return; // not installed: nothing to compare with
        var bundle = Path.Combine(_dir, runtime);
        Directory.CreateDirectory(bundle);
        var psi = new System.Diagnostics.ProcessStartInfo(exe) { WorkingDirectory = bundle, RedirectStandardError = true, RedirectStandardOutput = true };
        psi.ArgumentList.Add("spec");
        using (var p = System.Diagnostics.Process.Start(psi)!)
        {
            p.WaitForExit(30_000);
            Assert.Equal(0, p.ExitCode);
        }
        AssertSame(File.ReadAllText(Path.Combine(bundle, "config.json")));
    }

    [Theory]
    [InlineData("""{"ociVersion":"1.0.2","process":{"args":["x"]}}""")]
    [InlineData("""{"ociVersion":"1.0.2","process":{"args":["x"],"user":{"uid":5,"gid":6},"cwd":""},"root":{"path":"/abs/root"}}""")]
    [InlineData("""{"ociVersion":"1.0.2","process":{"args":null,"env":null,"capabilities":null,"rlimits":null},"mounts":null,"linux":null,"root":null}""")]
    [InlineData("""{"unknown":{"deep":[1,{"x":null}]},"ociVersion":"1.0.2","process":{"args":["a"],"extra":[true]},"linux":{"resources":{"memory":{"limit":1}},"seccomp":{"defaultAction":"SCMP_ACT_ALLOW"},"devices":[{"path":"/dev/x","type":"b","major":8,"minor":1,"uid":1,"gid":2}]}}""")]
    [InlineData("""{"ociVersion":"1.0.2","process":{"args":["a"],"capabilities":{"bounding":["CAP_KILL"]},"noNewPrivileges":false,"oomScoreAdj":-17},"mounts":[{"destination":"/m"}],"hostname":"h","linux":{"sysctl":{}}}""")]
    public void Edge_cases_read_the_same(string json) => AssertSame(json);

    [Fact]
    public void Relative_root_is_resolved_against_the_bundle()
    {
        var request = InitSpecReader.Read("""{"ociVersion":"1","process":{"args":["a"]},"root":{"path":"fs"}}"""u8, Bundle);
        Assert.Equal("/bundles/b1/fs", request.Rootfs.RootfsPath);
    }

    [Theory]
    [InlineData("""{"ociVersion":"1.0.2","process":{"args":["a"],"user":{"uid":"root"}}}""")]
    [InlineData("""{"ociVersion":"1.0.2","process":{"args":"a"}}""")]
    [InlineData("""{"ociVersion":"1.0.2","process":{"args":["a"]},"mounts":{}}""")]
    [InlineData("""{"ociVersion":"1.0.2","process":{"args":["a"]}""")]
    [InlineData("""{"ociVersion":"","process":{"args":["a"]}}""")]
    [InlineData("""null""")]
    [InlineData("""[]""")]
    [InlineData("""{"ociVersion":"1","process":{"args":["a"],"user":{"uid":-1}}}""")]
    public void Malformed_documents_fail_naming_the_file(string json)
    {
        Assert.Throws<RuntimeSpecException>(() => SpecAdapter.FromSpec(SpecJson.Deserialize(json, "x/config.json"), "/r"));
        var ex = Assert.Throws<RuntimeSpecException>(() => InitSpecReader.Read(Encoding.UTF8.GetBytes(json), Bundle, "x/config.json"));
        Assert.StartsWith("x/config.json: invalid OCI runtime spec: ", ex.Message);
    }

    [Fact]
    public void No_process_and_bad_device_types_are_init_errors()
    {
        Assert.Throws<ContainerInitException>(() => InitSpecReader.Read("""{"ociVersion":"1"}"""u8, Bundle));
        var ex = Assert.Throws<ContainerInitException>(() => InitSpecReader.Read("""{"ociVersion":"1","process":{"args":["a"]},"linux":{"devices":[{"path":"/dev/q","type":"cb"}]}}"""u8, Bundle));
        Assert.Contains("/dev/q", ex.Message);
    }

    [Fact]
    public void A_missing_file_is_named()
    {
        var path = Path.Combine(_dir, "nope", "config.json");
        var ex = Assert.Throws<RuntimeSpecException>(() => InitSpecReader.Load(path));
        Assert.Contains(path, ex.Message);
    }
}
