using System.Text.Json;
using ContainerPS.Runtime.Spec;
using ContainerPS.Tests.Unit.Support;

namespace ContainerPS.Tests.Unit.Spec;

/// <summary>
/// The spec model speaks the same JSON as the OCI runtimes on this machine: the template that
/// <c>runc spec</c> / <c>crun spec</c> write loads into <see cref="RuntimeSpec"/> with nothing
/// left over and serialises back to the same document, and a built spec names every member the
/// template has the same way. Skipped (passes vacuously) where the runtime is not installed.
/// </summary>
public sealed class OciRuntimeCompatibilityTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("cps-ocispec-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private JsonDocument? Template(string runtime)
    {
        var exe = Tool.Find(runtime);
        if (exe is null) return null;
        var bundle = Path.Combine(_dir, runtime);
        Directory.CreateDirectory(bundle);
        var psi = new System.Diagnostics.ProcessStartInfo(exe) { WorkingDirectory = bundle, RedirectStandardError = true, RedirectStandardOutput = true };
        psi.ArgumentList.Add("spec");
        using (var p = System.Diagnostics.Process.Start(psi)!)
        {
            p.WaitForExit(30_000);
            Assert.True(p.ExitCode == 0, $"{runtime} spec: {p.StandardError.ReadToEnd()}");
        }
        return JsonDocument.Parse(File.ReadAllText(Path.Combine(bundle, "config.json")));
    }

    [Theory]
    [InlineData("runc")]
    [InlineData("crun")]
    public void Runtime_template_round_trips_through_the_model(string runtime)
    {
        using var template = Template(runtime);
        if (template is null) return;
        var spec = SpecJson.Deserialize(template.RootElement.GetRawText(), runtime + " spec");
        Assert.Null(spec.Extra);
        Assert.Null(spec.Process!.Extra);
        Assert.Null(spec.Linux!.Extra);
        Assert.Null(spec.Linux.Resources!.Extra);
        using var back = JsonDocument.Parse(SpecJson.Serialize(spec));
        Assert.True(JsonElement.DeepEquals(template.RootElement, back.RootElement), SpecJson.Serialize(spec));
    }

    [Theory]
    [InlineData("runc")]
    [InlineData("crun")]
    public void Built_spec_uses_the_runtimes_names_for_every_common_member(string runtime)
    {
        using var template = Template(runtime);
        if (template is null) return;
        var options = SpecTestBuilder.Options("sh");
        options.Tty = true;
        options.ReadOnlyRootfs = true;
        var spec = SpecTestBuilder.Builder().Build(SpecTestBuilder.Input(options));
        using var built = JsonDocument.Parse(SpecJson.Serialize(spec));

        var builtPaths = SpecJsonTests.KeyPaths(built.RootElement).ToHashSet();
        var templatePaths = SpecJsonTests.KeyPaths(template.RootElement).ToHashSet();
        // Docker leaves the ambient and inheritable sets empty (CVE-2022-24769), so they are omitted.
        templatePaths.ExceptWith(new[] { "process.capabilities.ambient", "process.capabilities.inheritable" });
        Assert.Empty(templatePaths.Except(builtPaths));
        // We write the version runc's own template carries.
        if (runtime == "runc") Assert.Equal(template.RootElement.GetProperty("ociVersion").GetString(), spec.OciVersion);
    }
}
