using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using Xunit;

namespace ContainerPS.Tests.Integration.Images;

/// <summary>The module as a whole: manifest, exports, load context, help.</summary>
[Collection(ImagesCollection.Name)]
public sealed class ModuleTests : IClassFixture<ImageSession>
{
    private static readonly HashSet<string> CommonParameters = new(
        Cmdlet.CommonParameters.Concat(Cmdlet.OptionalCommonParameters), StringComparer.OrdinalIgnoreCase);

    private readonly ImageSession _s;

    public ModuleTests(ImageSession session) => _s = session;

    [Fact]
    public void Import_ExportsExactlyTheManifestCmdlets()
    {
        var listed = Strings(ReadManifest()["CmdletsToExport"]).OrderBy(n => n, StringComparer.Ordinal).ToList();
        Assert.NotEmpty(listed);

        var exported = Names(_s.RunOk("(Get-Command -Module ContainerPS -CommandType Cmdlet).Name"));
        Assert.Equal(listed, exported);
        Assert.Empty(_s.RunOk("Get-Command -Module ContainerPS -CommandType Alias, Function"));

        // Every cmdlet class in the assembly is listed: one missing from the manifest is invisible.
        var implemented = Names(_s.RunOk("""
            (Get-Module ContainerPS).ImplementingAssembly.GetExportedTypes() |
                ForEach-Object { $_.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false) } |
                ForEach-Object { '{0}-{1}' -f $_.VerbName, $_.NounName }
            """));
        Assert.Equal(implemented, listed);
    }

    [Fact]
    public void Manifest_FollowsTheConventions()
    {
        var manifest = ReadManifest();
        Assert.Equal("ContainerPS.Module.dll", manifest["RootModule"]);
        Assert.Equal(new[] { "Core" }, Strings(manifest["CompatiblePSEditions"]));
        Assert.Equal("7.4", manifest["PowerShellVersion"]);
        Assert.Equal(new[] { "ContainerPS.format.ps1xml" }, Strings(manifest["FormatsToProcess"]));
        Assert.Equal(new[] { "ContainerPS.types.ps1xml" }, Strings(manifest["TypesToProcess"]));
        foreach (var key in new[] { "CmdletsToExport", "AliasesToExport", "FunctionsToExport", "VariablesToExport" })
        {
            Assert.True(manifest.ContainsKey(key), $"{key} must be explicit");
            Assert.DoesNotContain(Strings(manifest[key]), v => v.Contains('*'));
        }

        // The laid-out copy is the repository's manifest.
        Assert.Equal(File.ReadAllText(Path.Combine(Harness.TestPaths.RepoRoot, "ContainerPS.psd1")), File.ReadAllText(_s.ModuleManifest));
    }

    [Fact]
    public void EngineAssemblies_LoadInTheModuleContext_NotTheDefaultOne()
    {
        _s.NewImage("alc:1"); // loads the engine and what layer extraction needs
        var loaded = _s.RunOk("""
            [AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { -not $_.IsDynamic -and $_.Location } |
                ForEach-Object { '{0}|{1}|{2}' -f $_.GetName().Name, [System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext($_).Name, $_.Location }
            """).Select(o => ((string)o.BaseObject).Split('|')).Select(p => (Name: p[0], Context: p[1], Location: p[2])).ToList();

        var root = Path.GetDirectoryName(_s.ModuleManifest)!;
        var deps = Path.Combine(root, "deps") + Path.DirectorySeparatorChar;
        Assert.Contains(loaded, a => a.Name == "ContainerPS.Module" && a.Context == "Default" && a.Location == Path.Combine(root, "ContainerPS.Module.dll"));
        foreach (var name in new[] { "ContainerPS.Engine", "SharpCompress", "Tmds.LibC" })
            Assert.Contains(loaded, a => a.Name == name && a.Context == "ContainerPS" && a.Location.StartsWith(deps, StringComparison.Ordinal));
        // Nothing from deps/ ever lands in the default context, where it could clash with other modules.
        Assert.DoesNotContain(loaded, a => a.Location.StartsWith(deps, StringComparison.Ordinal) && a.Context != "ContainerPS");

        foreach (var dll in new[] { "ContainerPS.Engine.dll", "ContainerPS.Compose.dll", "YamlDotNet.dll", "SharpCompress.dll" })
        {
            Assert.True(File.Exists(Path.Combine(deps, dll)), $"{dll} belongs in deps/");
            Assert.False(File.Exists(Path.Combine(root, dll)), $"{dll} must not sit beside the cmdlet assembly (default load context)");
        }
        Assert.False(File.Exists(Path.Combine(root, "System.Management.Automation.dll")), "the host supplies System.Management.Automation");
    }

    [Fact]
    public void GetHelp_ShowsTheSynopsis()
    {
        var help = Assert.Single(_s.RunOk("Get-Help Get-Image -Full"));
        Assert.Equal("Gets images from the local image store.", ((string)help.Properties["Synopsis"].Value).Trim());
        Assert.NotEmpty(_s.RunOk("(Get-Help Get-Image -Full).Examples.Example"));
        Assert.Contains("Wildcards", (string)_s.RunOk("(Get-Help Get-Image -Parameter Reference).Description.Text")[0].BaseObject);
    }

    [Fact]
    public void EveryCmdlet_HasHelpForEveryParameterAndAnExample()
    {
        foreach (var name in Names(_s.RunOk("(Get-Command -Module ContainerPS).Name")))
        {
            var help = Assert.Single(_s.RunOk("Get-Help $name -Full", ("name", name)));
            var synopsis = ((string)help.Properties["Synopsis"].Value).Trim();
            Assert.False(string.IsNullOrEmpty(synopsis) || synopsis.StartsWith(name, StringComparison.Ordinal),
                $"{name}: no synopsis in the help file (got '{synopsis}')");
            Assert.NotEmpty(_s.RunOk("(Get-Help $name -Full).Examples.Example", ("name", name)));
            Assert.NotEmpty(_s.RunOk("(Get-Help $name -Full).Description", ("name", name)));

            var documented = Names(_s.RunOk("(Get-Help $name -Full).Parameters.Parameter.Name", ("name", name)))
                .ToHashSet(StringComparer.OrdinalIgnoreCase);
            foreach (var parameter in Names(_s.RunOk("(Get-Command $name).Parameters.Keys", ("name", name))).Where(p => !CommonParameters.Contains(p)))
                Assert.True(documented.Contains(parameter), $"{name} -{parameter} is not in the help file");
        }
    }

    [Fact]
    public void EveryCmdlet_DeclaresOutputType_AndStateChangesSupportShouldProcess()
    {
        string[] readOnly = { "Get-Image", "Get-ImageHistory", "Get-ContainerDiskUsage", "Get-Container", "Get-ContainerLog", "Wait-Container", "Get-ContainerProcess", "Get-ContainerStats", "ConvertFrom-Dockerfile", "Get-ContainerVolume" };
        readOnly = readOnly.Concat(new[] { "Get-ContainerNetwork", "Get-ContainerPort" }).ToArray(); // networks
        foreach (var name in Names(_s.RunOk("(Get-Command -Module ContainerPS).Name")))
        {
            Assert.NotEmpty(_s.RunOk("(Get-Command $name).OutputType", ("name", name)));
            if (readOnly.Contains(name)) continue;
            var parameters = Names(_s.RunOk("(Get-Command $name).Parameters.Keys", ("name", name)));
            Assert.Contains("WhatIf", parameters);
            Assert.Contains("Confirm", parameters);
        }
    }

    private static List<string> Names(IEnumerable<PSObject> output) =>
        output.Where(o => o is not null).Select(o => (string)o.BaseObject).OrderBy(n => n, StringComparer.Ordinal).ToList();

    private static IReadOnlyList<string> Strings(object? value) => value switch
    {
        null => Array.Empty<string>(),
        string s => new[] { s },
        IEnumerable e => e.Cast<object>().Select(o => (string)o).ToList(),
        _ => throw new Xunit.Sdk.XunitException($"unexpected manifest value {value}"),
    };

    private static Dictionary<string, object?> ReadManifest()
    {
        // Read as data, as Import-PowerShellDataFile does (that cmdlet is not in this host).
        var path = Path.Combine(Harness.TestPaths.RepoRoot, "ContainerPS.psd1");
        var ast = Parser.ParseFile(path, out _, out var errors);
        Assert.Empty(errors);
        var hashtable = Assert.IsType<HashtableAst>(ast.Find(a => a is HashtableAst, false));
        var data = (Hashtable)hashtable.SafeGetValue();
        return data.Keys.Cast<string>().ToDictionary(k => k, k => data[k], StringComparer.OrdinalIgnoreCase);
    }
}
