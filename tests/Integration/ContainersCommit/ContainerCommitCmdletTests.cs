using System.Management.Automation;
using ContainerPS.Tests.Integration.Containers;
using ContainerPS.Tests.Integration.Harness;
using ContainerPS.Tests.Integration.Images;
using Xunit;

namespace ContainerPS.Tests.Integration.ContainersCommit;

/// <summary>
/// ConvertTo-Image (docker commit) and Export-Container (docker export) through the built module
/// with real busybox containers. Same collection as the other module tests: the store root
/// ($env:CONTAINERPS_ROOT) is process-wide.
/// </summary>
[Collection(ImagesCollection.Name)]
public sealed class ContainerCommitCmdletTests : IClassFixture<ContainerSession>
{
    private readonly ContainerSession _s;

    public ContainerCommitCmdletTests(ContainerSession session) => _s = session;

    private static string Prop(PSObject o, string name) => o.Properties[name].Value?.ToString() ?? "";

    private static IReadOnlyList<string> Strings(IEnumerable<PSObject> output) =>
        output.Where(o => o is not null).Select(o => o.BaseObject.ToString() ?? "").ToList();

    private string Scratch(string name) => Path.Combine(Path.GetTempPath(), $"cps-commit-{Guid.NewGuid():N}-{name}");

    [Fact]
    public void ConvertToImage_MakesAnImage_WhoseContainersSeeTheChange()
    {
        using var cleanup = _s.Track();
        _s.RunOk("Start-Container busybox -Name commit-src -- sh -c 'echo hi > /greeting' | Out-Null");

        var image = Assert.Single(_s.RunOk("""ConvertTo-Image commit-src -Reference greeting:1 -Message 'add greeting' -Author Ann -Change 'CMD ["cat","/greeting"]'"""));

        Assert.Equal("ContainerPS.Engine.Images.Image", image.BaseObject.GetType().FullName);
        Assert.Equal("Ann", Prop(image, "Author"));
        Assert.Equal(new[] { "hi" }, Strings(_s.RunOk("Start-Container greeting:1")));
        var history = _s.RunOk("Get-ImageHistory greeting:1 | Select-Object -First 1").Single();
        Assert.Equal("add greeting", Prop(history, "Comment"));
    }

    [Fact]
    public void ConvertToImage_TakesContainersFromThePipeline_AndWithoutAReferenceTheImageIsDangling()
    {
        using var cleanup = _s.Track();
        _s.RunOk("Start-Container busybox -Name commit-piped -- touch /piped | Out-Null");

        var image = Assert.Single(_s.RunOk("Get-Container -All | Where-Object Name -eq 'commit-piped' | ConvertTo-Image -NoPause"));

        Assert.Equal("True", Prop(image, "Dangling"));
        var id = Prop(image, "Id");
        Assert.Equal(new[] { "/piped" }, Strings(_s.RunOk("Start-Container $id ls /piped", ("id", id))));
    }

    [Fact]
    public void ConvertToImage_WhatIf_CreatesNothing_AndBadInputIsReportedPerItem()
    {
        using var cleanup = _s.Track();
        _s.RunOk("Start-Container busybox -Name commit-whatif -- true | Out-Null");
        var before = _s.RunOk("@(Get-Image).Count")[0].BaseObject;

        _s.RunOk("ConvertTo-Image commit-whatif -Reference whatif:1 -WhatIf");
        Assert.Equal(before, _s.RunOk("@(Get-Image).Count")[0].BaseObject);

        var missing = _s.Run("ConvertTo-Image no-such-container");
        var error = Assert.Single(missing.Errors);
        Assert.StartsWith("ContainerNotFound,", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);

        var change = _s.Run("ConvertTo-Image commit-whatif -Change 'RUN echo no'");
        error = Assert.Single(change.Errors);
        Assert.StartsWith("InvalidChange,", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
        Assert.Equal(before, _s.RunOk("@(Get-Image).Count")[0].BaseObject);
    }

    [Fact]
    public void ExportContainer_WritesATar_ThatImportImageTurnsBackIntoAWorkingImage()
    {
        using var cleanup = _s.Track();
        var tar = Scratch("export.tar");
        try
        {
            _s.RunOk("Start-Container busybox -Name export-src -- sh -c 'echo exported > /exported; rm /etc/group' | Out-Null");

            var file = Assert.Single(_s.RunOk("Export-Container export-src -Path $tar -PassThru", ("tar", tar)));

            Assert.IsType<FileInfo>(file.BaseObject);
            Assert.Equal(tar, ((FileInfo)file.BaseObject).FullName);
            _s.RunOk("""Import-Image -FileSystemPath $tar -Reference flat:1 -Change 'CMD ["sh"]' | Out-Null""", ("tar", tar));
            Assert.Equal(new[] { "exported", "absent" },
                Strings(_s.RunOk("Start-Container flat:1 -- sh -c 'cat /exported; test -e /etc/group || echo absent'")));
        }
        finally
        {
            File.Delete(tar);
        }
    }

    [Fact]
    public void ExportContainer_RefusesToOverwriteWithoutForce_AndAcceptsARunningContainer()
    {
        using var cleanup = _s.Track();
        var tar = Scratch("running.tar");
        try
        {
            File.WriteAllText(tar, "keep me");
            _s.RunOk("Start-Container busybox -Name export-running -Detach -- sleep 1000 | Out-Null");

            // A terminating error of the command (the script goes on: it is statement-terminating).
            var refused = _s.Run("Export-Container export-running $tar; 'after'", ("tar", tar));
            var error = Assert.Single(refused.Errors);
            Assert.StartsWith("ExportFileExists,", error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.ResourceExists, error.CategoryInfo.Category);
            Assert.Equal(new[] { "after" }, Strings(refused.Output));
            Assert.Equal("keep me", File.ReadAllText(tar));

            _s.RunOk("Export-Container -Name export-running -Path $tar -Force", ("tar", tar));
            Assert.True(new FileInfo(tar).Length > 1024 * 1024);
            Assert.Equal("Running", Prop(_s.RunOk("Get-Container export-running").Single(), "State"));

            _s.RunOk("Export-Container export-running $tar -Force -WhatIf", ("tar", tar));
        }
        finally
        {
            File.Delete(tar);
        }
    }

    [Fact]
    public void ExportContainer_WritesOneContainerPerFile()
    {
        using var cleanup = _s.Track();
        var tar = Scratch("one.tar");
        try
        {
            _s.RunOk("Start-Container busybox -Name export-one-a -- true | Out-Null; Start-Container busybox -Name export-one-b -- true | Out-Null");

            var result = _s.Run("Export-Container 'export-one-*' -Path $tar", ("tar", tar));

            var error = Assert.Single(result.Errors);
            Assert.StartsWith("TooManyContainers,", error.FullyQualifiedErrorId);
            Assert.True(File.Exists(tar));
        }
        finally
        {
            File.Delete(tar);
        }
    }
}
