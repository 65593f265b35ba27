using System.Formats.Tar;
using System.Management.Automation;
using System.Management.Automation.Language;
using System.Text.Json;
using System.Xml.Linq;
using Xunit;

namespace ContainerPS.Tests.Integration.Images;

/// <summary>
/// The image cmdlets against a real store in a throw-away root. Each test makes its own
/// images under names no other test uses, so the tests do not depend on each other's order.
/// </summary>
[Collection(ImagesCollection.Name)]
public sealed class ImageCmdletTests : IClassFixture<ImageSession>
{
    private readonly ImageSession _s;

    public ImageCmdletTests(ImageSession session) => _s = session;

    private static string Id(PSObject image) => (string)image.Properties["Id"].Value;

    private static string ShortId(PSObject image) => Id(image)[7..19];

    private static IReadOnlyList<string> Tags(PSObject image) =>
        ((IEnumerable<object>)image.Properties["RepoTags"].Value).Cast<string>().OrderBy(t => t, StringComparer.Ordinal).ToList();

    private static IReadOnlyList<string> Layers(PSObject image) =>
        ((IEnumerable<object>)image.Properties["Layers"].Value).Cast<string>().ToList();

    private static IReadOnlyList<string> Strings(IEnumerable<PSObject> output) =>
        output.Where(o => o is not null).Select(o => (string)o.BaseObject).ToList();

    [Fact]
    public void GetImage_Reference_FindsEveryTagOfTheRepository_AndWildcards()
    {
        var one = _s.NewImage("repoall:1");
        var two = _s.NewImage("repoall:2");

        Assert.Equal(new HashSet<string> { Id(one), Id(two) }, _s.RunOk("Get-Image repoall").Select(Id).ToHashSet());
        Assert.Equal(new[] { Id(two) }, _s.RunOk("Get-Image 'repoal?:2'").Select(Id));
        Assert.Equal(2, _s.RunOk("Get-Image 'repoa*'").Count);
        Assert.Equal(new[] { Id(one) }, _s.RunOk("Get-Image -Id $id", ("id", ShortId(one))).Select(Id));
        Assert.Equal(new[] { Id(one) }, _s.RunOk("Get-Image docker.io/library/repoall:1").Select(Id));
        // Several names of one image: the image is written once.
        Assert.Single(_s.RunOk("Get-Image repoall:1, 'repoall:*1'"));
    }

    [Fact]
    public void GetImage_NoSuchReference_IsNonTerminatingObjectNotFound()
    {
        var image = _s.NewImage("present:1");
        var result = _s.Run("Get-Image nosuch:tag, present:1");

        Assert.Null(result.TerminatingError);
        Assert.Equal(new[] { Id(image) }, result.Output.Select(Id)); // the rest went on
        var error = Assert.Single(result.Errors);
        Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
        Assert.Equal("ImageNotFound,ContainerPS.Module.Images.GetImageCommand", error.FullyQualifiedErrorId);
        Assert.Equal("nosuch:tag", error.TargetObject);

        var byId = _s.Run("Get-Image -Id 0123456789ab");
        Assert.Equal(ErrorCategory.ObjectNotFound, Assert.Single(byId.Errors).CategoryInfo.Category);

        var wildcard = _s.Run("Get-Image 'nosuch*'");
        Assert.False(wildcard.HadErrors); // a wildcard that matches nothing is no error
        Assert.Empty(wildcard.Output);
    }

    [Fact]
    public void GetImage_DanglingAndLabelFilters()
    {
        var dangling = _s.NewImage(null);
        var labelled = _s.NewImage("labelled:1", "LABEL tier=gold");

        var danglingIds = Strings(_s.RunOk("(Get-Image -Dangling).Id"));
        Assert.Contains(Id(dangling), danglingIds);
        Assert.DoesNotContain(Id(labelled), danglingIds);
        Assert.DoesNotContain(Id(dangling), Strings(_s.RunOk("(Get-Image -Dangling:$false).Id")));

        Assert.Equal(new[] { Id(labelled) }, _s.RunOk("Get-Image -Label tier=gold").Select(Id));
        Assert.Equal(new[] { Id(labelled) }, _s.RunOk("Get-Image -Label tier").Select(Id));
        Assert.Empty(_s.RunOk("Get-Image -Label tier=silver"));
        // Present but filtered out: no "not found" error.
        Assert.Empty(_s.RunOk("Get-Image labelled:1 -Dangling"));

        var badSince = _s.Run("Get-Image -Since nosuch:1; 'after'");
        Assert.Equal(ErrorCategory.ObjectNotFound, Assert.Single(badSince.Errors).CategoryInfo.Category);
        Assert.Equal(new[] { "after" }, badSince.Strings); // terminating for the statement only
    }

    [Fact]
    public void RemoveImage_WhatIf_FromAFilteredPipeline_RemovesNothing()
    {
        var image = _s.NewImage("whatif:1");
        var result = _s.Run("Get-Image | Where-Object { $_.RepoTags -contains 'whatif:1' } | Remove-Image -WhatIf");

        Assert.False(result.HadErrors);
        Assert.Empty(result.Output);
        Assert.True(_s.Exists(Id(image)));
        Assert.Equal(new[] { "whatif:1" }, Tags(_s.RunOk("Get-Image whatif:1")[0]));
    }

    [Fact]
    public void RemoveImage_InvalidReference_IsInvalidArgument()
    {
        var result = _s.Run("Remove-Image 'Not/A:Valid:Ref'");
        var error = Assert.Single(result.Errors);
        Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
        Assert.Equal("InvalidReference,ContainerPS.Module.Images.RemoveImageCommand", error.FullyQualifiedErrorId);
        Assert.Equal("Not/A:Valid:Ref", error.TargetObject);

        var missing = _s.Run("Remove-Image gone:1");
        Assert.Equal(ErrorCategory.ObjectNotFound, Assert.Single(missing.Errors).CategoryInfo.Category);
    }

    [Fact]
    public void RemoveImage_UntagsUntilTheLastName_ThenDeletes()
    {
        var image = _s.NewImage("untag:1");
        _s.RunOk("Add-ImageTag untag:1 untag:2");

        var only = Assert.Single(_s.RunOk("Remove-Image untag:1"));
        Assert.Equal("Untagged", only.Properties["Action"].Value);
        Assert.Equal("untag:1", only.Properties["Target"].Value);
        Assert.True(_s.Exists(Id(image)));

        var last = _s.RunOk("Remove-Image untag:2");
        Assert.Equal(new[] { "Untagged: untag:2", $"Deleted: {Id(image)}" }, last.Select(r => r.BaseObject.ToString()));
        Assert.False(_s.Exists(Id(image)));
    }

    [Fact]
    public void RemoveImage_ByIdAcrossRepositories_NeedsForce()
    {
        var image = _s.NewImage("multi-a:1");
        _s.RunOk("Add-ImageTag multi-a:1 multi-b:1");

        // A piped row stands for one name: only that name goes, as `docker rmi multi-a:1`.
        var untagged = Assert.Single(_s.RunOk("Get-Image multi-a:1 | Remove-Image"));
        Assert.Equal("Untagged", (string)untagged.Properties["Action"].Value);
        _s.RunOk("Add-ImageTag multi-b:1 multi-a:1");

        var refused = _s.Run("Remove-Image -Id $id", ("id", ShortId(image)));
        var error = Assert.Single(refused.Errors);
        Assert.Equal(ErrorCategory.InvalidOperation, error.CategoryInfo.Category);
        Assert.StartsWith("ImageReferencedByMultipleRepositories,", error.FullyQualifiedErrorId);
        Assert.True(_s.Exists(Id(image)));

        var removed = _s.RunOk("Remove-Image -Id $id -Force", ("id", ShortId(image)));
        Assert.Contains(removed, r => (string)r.Properties["Action"].Value == "Deleted");
        Assert.False(_s.Exists(Id(image)));
    }

    [Fact]
    public void GetImage_WritesOneRowPerName_AndPipingAllRowsRemovesTheImage()
    {
        var image = _s.NewImage("rows-a:1");
        _s.RunOk("Add-ImageTag rows-a:1 rows-b:2");
        var rows = _s.RunOk("Get-Image 'rows-*'");
        Assert.Equal(new[] { "rows-a:1", "rows-b:2" }, rows.Select(r => (string)r.Properties["Repository"].Value + ":" + (string)r.Properties["Tag"].Value).Order());
        var results = _s.RunOk("Get-Image 'rows-*' | Remove-Image").Select(r => r.ToString()).ToList();
        Assert.Equal(new[] { "Untagged: rows-a:1", "Untagged: rows-b:2", "Deleted: " + Id(image) }, results);
        Assert.False(_s.Exists(Id(image)));
    }

    [Fact]
    public void AddImageTag_And_RemoveImageTag()
    {
        var image = _s.NewImage("tagsrc:1");

        Assert.Empty(_s.RunOk("Add-ImageTag tagsrc:1 -Target tagdst:1, tagdst:2"));
        var tagged = Assert.Single(_s.RunOk("Get-Image tagsrc:1 | Add-ImageTag -Target tagdst:3 -PassThru"));
        Assert.Equal(new[] { "tagdst:1", "tagdst:2", "tagdst:3", "tagsrc:1" }, Tags(tagged));
        Assert.Empty(_s.RunOk("Add-ImageTag tagsrc:1 -Target tagdst:4 -WhatIf"));
        Assert.Empty(_s.RunOk("Get-Image 'tagdst:4*'"));

        var bad = _s.Run("Add-ImageTag tagsrc:1 -Target 'UPPER:case'");
        Assert.Equal(ErrorCategory.InvalidArgument, Assert.Single(bad.Errors).CategoryInfo.Category);

        Assert.Empty(_s.RunOk("Remove-ImageTag tagdst:1"));
        var untagged = Assert.Single(_s.RunOk("Remove-ImageTag tagdst:2 -PassThru"));
        Assert.Equal("Untagged: tagdst:2", untagged.BaseObject.ToString());
        Assert.Equal(new[] { "tagdst:3", "tagsrc:1" }, Tags(_s.RunOk("Get-Image -Id $id", ("id", Id(image)))[0]));

        // Removing every name leaves the image, dangling: Remove-ImageTag never deletes.
        _s.RunOk("Get-Image tagsrc:1 | Remove-ImageTag");
        Assert.Contains(Id(image), Strings(_s.RunOk("(Get-Image -Dangling).Id")));

        var missing = _s.Run("Remove-ImageTag tagdst:404");
        Assert.Equal(ErrorCategory.ObjectNotFound, Assert.Single(missing.Errors).CategoryInfo.Category);
    }

    [Fact]
    public void GetImageHistory_BindsFromThePipeline_ByValueAndByPropertyName()
    {
        var image = _s.NewImage("history:1");

        var byValue = _s.RunOk("Get-Image history:1 | Get-ImageHistory");
        Assert.NotEmpty(byValue);
        Assert.Equal(Id(image), byValue[0].Properties["Id"].Value);

        var byId = _s.RunOk("[pscustomobject]@{ Id = $id } | Get-ImageHistory", ("id", Id(image)));
        Assert.Equal(byValue.Count, byId.Count);

        var byName = _s.RunOk("[pscustomobject]@{ Image = 'history:1' } | Get-ImageHistory");
        Assert.Equal(byValue.Count, byName.Count);

        var missing = _s.Run("Get-ImageHistory nosuch:1, history:1");
        Assert.Equal(ErrorCategory.ObjectNotFound, Assert.Single(missing.Errors).CategoryInfo.Category);
        Assert.Equal(byValue.Count, missing.Output.Count);
    }

    [Fact]
    public void SaveImage_FromThePipeline_WritesOneArchiveWithEveryImage()
    {
        var a = _s.NewImage("saveall-a:1");
        var b = _s.NewImage("saveall-b:1");
        var archive = Path.Combine(_s.WorkDirectory, "saveall.tar");

        var file = Assert.Single(_s.RunOk("Get-Image 'saveall-*' | Save-Image -Path saveall.tar -PassThru"));
        Assert.Equal(archive, Assert.IsType<FileInfo>(file.BaseObject).FullName);

        var manifest = ReadArchiveManifest(archive);
        Assert.Equal(2, manifest.GetArrayLength());
        var repoTags = manifest.EnumerateArray().SelectMany(e => e.GetProperty("RepoTags").EnumerateArray().Select(t => t.GetString())).ToHashSet();
        Assert.Equal(new HashSet<string?> { "saveall-a:1", "saveall-b:1" }, repoTags);

        // By property name too: objects with an Id go into one archive as well.
        _s.RunOk("$ids | ForEach-Object { [pscustomobject]@{ Id = $_ } } | Save-Image -Path byid.tar", ("ids", new[] { Id(a), Id(b) }));
        Assert.Equal(2, ReadArchiveManifest(Path.Combine(_s.WorkDirectory, "byid.tar")).GetArrayLength());

        // A name that does not exist is reported, and the rest is still saved.
        var partial = _s.Run("Save-Image nosuch:1, saveall-a:1 -Path partial.tar");
        Assert.Equal(ErrorCategory.ObjectNotFound, Assert.Single(partial.Errors).CategoryInfo.Category);
        Assert.Equal(1, ReadArchiveManifest(Path.Combine(_s.WorkDirectory, "partial.tar")).GetArrayLength());
    }

    [Fact]
    public void SaveImage_ExistingFile_NeedsForce()
    {
        _s.NewImage("exists:1");
        var archive = Path.Combine(_s.WorkDirectory, "exists.tar");
        File.WriteAllText(archive, "keep me");

        // Terminating: the statement stops, so try/catch sees it (a non-terminating error would not be caught).
        var refused = Assert.Single(_s.Run("try { Save-Image exists:1 -Path exists.tar; 'went on' } catch { $_ }").Output);
        var error = Assert.IsType<ErrorRecord>(refused.BaseObject);
        Assert.Equal(ErrorCategory.ResourceExists, error.CategoryInfo.Category);
        Assert.StartsWith("ArchiveExists,", error.FullyQualifiedErrorId);
        Assert.Equal(archive, error.TargetObject);
        Assert.Equal("keep me", File.ReadAllText(archive));

        Assert.Empty(_s.RunOk("Save-Image exists:1 -Path exists.tar -Force"));
        Assert.Equal(1, ReadArchiveManifest(archive).GetArrayLength());

        Assert.Empty(_s.RunOk("Save-Image exists:1 -Path whatif.tar -WhatIf"));
        Assert.False(File.Exists(Path.Combine(_s.WorkDirectory, "whatif.tar")));
    }

    [Fact]
    public void SaveImage_ThenImportImage_RoundTripsIdLayersAndNames()
    {
        var original = _s.NewImage("roundtrip:1", "ENV GREETING=hello", "CMD [\"/bin/sh\"]");
        _s.RunOk("Add-ImageTag roundtrip:1 roundtrip:latest");
        _s.RunOk("Save-Image roundtrip -Path roundtrip.tar");

        _s.RunOk("Remove-Image -Id $id -Force", ("id", Id(original)));
        Assert.False(_s.Exists(Id(original)));

        var (output, errors, progress) = _s.RunWithProgress("Import-Image ./round*.tar");
        Assert.Empty(errors);
        var image = Assert.Single(output);
        Assert.Equal(Id(original), Id(image));
        Assert.Equal(Layers(original), Layers(image));
        Assert.Equal(new[] { "roundtrip:1", "roundtrip:latest" }, Tags(image));
        Assert.Contains("GREETING=hello", Strings(_s.RunOk("(Get-Image roundtrip:1).Config.Env")));

        // Progress: a parent activity with children beneath it, every one completed at the end.
        Assert.NotEmpty(progress);
        var parents = progress.Where(p => p.ParentActivityId < 0).Select(p => p.ActivityId).ToHashSet();
        Assert.Single(parents);
        Assert.Contains(progress, p => parents.Contains(p.ParentActivityId));
        foreach (var activity in progress.GroupBy(p => p.ActivityId))
            Assert.Equal(ProgressRecordType.Completed, activity.Last().RecordType);
    }

    [Fact]
    public void ImportImage_FileSystem_AppliesChangesAndMessage()
    {
        var image = _s.NewImage("imported:1", "ENV MODE=test", "WORKDIR /srv");
        Assert.Contains("MODE=test", Strings(_s.RunOk("(Get-Image imported:1).Config.Env")));
        Assert.Equal("/srv", _s.RunOk("(Get-Image imported:1).Config.WorkingDir")[0].BaseObject);
        Assert.Single(Layers(image));

        var tar = _s.WriteRootFs("with-message.tar");
        var withMessage = Assert.Single(_s.RunOk("Import-Image -FileSystemPath $tar -Reference imported:2 -Message 'from a test'", ("tar", tar)));
        Assert.Equal("from a test", withMessage.Properties["Comment"].Value);
    }

    [Fact]
    public void ImportImage_MissingFile_IsObjectNotFound_AndOtherPathsGoOn()
    {
        _s.NewImage("goes-on:1");
        _s.RunOk("Save-Image goes-on:1 -Path goes-on.tar");

        var result = _s.Run("Import-Image -Path ./no-such.tar, ./goes-on.tar");
        Assert.Null(result.TerminatingError);
        Assert.Single(result.Output);
        var error = Assert.Single(result.Errors);
        Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
        Assert.StartsWith("PathNotFound,", error.FullyQualifiedErrorId);

        var notAnArchive = Path.Combine(_s.WorkDirectory, "garbage.tar");
        File.WriteAllText(notAnArchive, "this is not a tarball");
        var bad = _s.Run("Import-Image -LiteralPath $path", ("path", notAnArchive));
        Assert.Equal(ErrorCategory.InvalidArgument, Assert.Single(bad.Errors).CategoryInfo.Category);

        // Get-ChildItem output binds through PSPath.
        Assert.Single(_s.RunOk("Get-ChildItem -Path $dir -Filter goes-on.tar | Import-Image", ("dir", _s.WorkDirectory)));
    }

    [Fact]
    public void GetContainerDiskUsage_CountsImages()
    {
        _s.NewImage("df:1");
        var rows = _s.RunOk("Get-ContainerDiskUsage");
        var images = Assert.Single(rows, r => (string)r.Properties["Type"].Value == "Images");
        Assert.True((int)images.Properties["Total"].Value >= 1);
        Assert.True((long)images.Properties["Size"].Value > 0);
    }

    [Fact]
    public void Completers_ReturnMatchingNames_WildcardAware()
    {
        var image = _s.NewImage("completeme:1");
        _s.RunOk("Add-ImageTag completeme:1 completeme:2");

        Assert.Equal(new[] { "completeme:1", "completeme:2" }, Complete("Get-Image complete"));
        Assert.Equal(new[] { "completeme:2" }, Complete("Remove-Image *me:2"));
        Assert.Equal(new[] { "'completeme:1'", "'completeme:2'" }, Complete("Save-Image 'completem"));
        Assert.Empty(Complete("Get-Image zzz-nothing"));
        Assert.Equal(new[] { ShortId(image) }, Complete($"Get-Image -Id {Id(image)[7..13]}"));
    }

    [Fact]
    public void FormatViews_UseNoCmdlets_AndRenderDockerColumns()
    {
        var image = _s.NewImage("format:1");
        var formatFile = Path.Combine(Path.GetDirectoryName(_s.ModuleManifest)!, "ContainerPS.format.ps1xml");
        var scripts = XDocument.Load(formatFile).Descendants("View")
            .SelectMany(v => v.Descendants("ScriptBlock").Select(sb => (Type: v.Element("ViewSelectedBy")!.Element("TypeName")!.Value, Script: sb.Value)))
            .ToList();
        Assert.NotEmpty(scripts);

        var samples = new Dictionary<string, string>
        {
            ["ContainerPS.Engine.Images.Image"] = "Get-Image format:1",
            ["ContainerPS.Engine.Images.ImageHistoryItem"] = "Get-ImageHistory format:1",
            ["ContainerPS.Engine.Store.DiskUsageItem"] = "Get-ContainerDiskUsage",
        };
        foreach (var (type, script) in scripts)
        {
            // Format scripts may run in a host with only the core cmdlets: .NET calls and operators only.
            var ast = Parser.ParseInput(script, out _, out var parseErrors);
            Assert.Empty(parseErrors);
            Assert.Empty(ast.FindAll(a => a is CommandAst, searchNestedScriptBlocks: true));

            // Views of other object kinds are rendered by their own tests (containers: FormatViews_UseNoCmdlets_AndRender).
            if (!samples.TryGetValue(type, out var sample)) continue;
            var rendered = _s.RunOk($"{sample} | ForEach-Object {{ {script} }}");
            Assert.NotEmpty(rendered);
            Assert.All(rendered, r => Assert.True(r?.BaseObject is string, $"{type}: {script} gave {r}"));
        }

        Assert.Equal(ShortId(image), _s.RunOk("[ContainerPS.Module.Formatting.DisplayFormat]::ShortId($id)", ("id", Id(image)))[0].BaseObject);
        Assert.Equal("2 minutes ago",
            _s.RunOk("[ContainerPS.Module.Formatting.DisplayFormat]::Ago([DateTimeOffset]::UtcNow.AddMinutes(-2).AddSeconds(-5))")[0].BaseObject);
        Assert.Equal(new[] { "Less than a second", "About a minute", "About an hour", "3 days", "2 weeks", "3 months", "2 years" },
            Strings(_s.RunOk("0, 61, 3600, 259200, 1209600, 7776000, 63072000 | ForEach-Object { [ContainerPS.Module.Formatting.DisplayFormat]::Duration([TimeSpan]::FromSeconds($_)) }")));
        Assert.Equal(new[] { "4.26MB", "77.9MB", "512B", "0B", "1MB", "1.2GB" },
            Strings(_s.RunOk("4260000, 77856000, 512, 0, 999999, 1200000000 | ForEach-Object { [ContainerPS.Module.Formatting.DisplayFormat]::Size([long]$_) }")));
    }

    private List<string> Complete(string input) =>
        Strings(_s.RunOk("(TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText", ("line", input))).ToList();

    private static JsonElement ReadArchiveManifest(string archive)
    {
        using var stream = File.OpenRead(archive);
        using var reader = new TarReader(stream);
        while (reader.GetNextEntry() is { } entry)
        {
            if (entry.Name.TrimStart('.', '/') != "manifest.json" || entry.DataStream is null) continue;
            using var json = JsonDocument.Parse(entry.DataStream);
            return json.RootElement.Clone();
        }
        throw new Xunit.Sdk.XunitException($"{archive} has no manifest.json");
    }
}
