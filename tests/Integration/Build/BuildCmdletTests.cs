using System.Management.Automation;
using ContainerPS.Tests.Integration.Containers;
using ContainerPS.Tests.Integration.Images;
using Xunit;

namespace ContainerPS.Tests.Integration.Build;

/// <summary>Invoke-ContainerBuild through the built module: output object, pipes, streams, errors, history.</summary>
[Collection(ImagesCollection.Name)]
public sealed class BuildCmdletTests : IClassFixture<ContainerSession>, IDisposable
{
    private readonly ContainerSession _s;
    private readonly string _context = Path.Combine(Path.GetTempPath(), "cps-build-it-" + Guid.NewGuid().ToString("N")[..8]);

    public BuildCmdletTests(ContainerSession session)
    {
        _s = session;
        Directory.CreateDirectory(_context);
    }

    public void Dispose() => Directory.Delete(_context, recursive: true);

    private void Write(string name, string text)
    {
        var path = Path.Combine(_context, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }

    private static IReadOnlyList<string> Strings(IEnumerable<PSObject> output) => output.Select(o => o.BaseObject.ToString() ?? "").ToList();

    [Fact]
    public void Build_PipesIntoStartContainer_AndWritesStepsToInformationAndProgress()
    {
        using var cleanup = _s.Track();
        Write("Dockerfile", "FROM busybox\nRUN echo compiling\nENTRYPOINT [\"echo\"]\nCMD [\"Hello world\"]\n");
        var result = _s.Run("Invoke-ContainerBuild -Path $ctx -Tag it-hello:1 | Start-Container -AutoRemove", ("ctx", _context));
        Assert.False(result.HadErrors, string.Join("\n", result.Errors));
        Assert.Equal(new[] { "Hello world" }, Strings(result.Output));
        Assert.Contains(result.Information, i => i.MessageData.ToString() == "compiling" && i.Tags.Contains("stdout"));
        Assert.Contains(result.Information, i => i.MessageData.ToString()!.StartsWith("[1/3] RUN echo compiling", StringComparison.Ordinal));
        Assert.Contains(result.Progress, p => p.Activity.Contains("RUN echo compiling", StringComparison.Ordinal));

        var image = Assert.Single(_s.RunOk("Invoke-ContainerBuild $ctx -Tag it-hello:1 -Quiet", ("ctx", _context)));
        Assert.Equal("ContainerPS.Engine.Images.Image", image.BaseObject.GetType().FullName);
        Assert.Equal(new[] { "Hello CloudMan" }, Strings(_s.RunOk("Start-Container it-hello:1 'Hello CloudMan' -AutoRemove")));
        var history = _s.RunOk("Get-ImageHistory it-hello:1").Select(h => h.Properties["CreatedBy"].Value?.ToString()).ToList();
        Assert.Contains("RUN /bin/sh -c echo compiling # buildkit", history);
    }

    [Fact]
    public void Build_RelativePathsFromTheLocation_BuildArgAndLabel()
    {
        using var cleanup = _s.Track();
        Write("sub/build.Dockerfile", "FROM busybox\nARG WHO=nobody\nRUN echo \"hi $WHO\" > /who\nCMD cat /who\n");
        var before = _s.RunOk("(Get-Location).Path")[0].BaseObject.ToString()!;
        _s.Shell.SetLocation(_context);
        IReadOnlyList<PSObject> output;
        try
        {
            output = _s.RunOk("Invoke-ContainerBuild . -File sub/build.Dockerfile -Tag it-args -BuildArg @{ WHO = 'ann' } -Label @{ team = 'blue' }");
        }
        finally
        {
            _s.Shell.SetLocation(before);
        }
        var image = Assert.Single(output);
        Assert.Equal("blue", ((System.Collections.IDictionary)((dynamic)image.BaseObject).Config.Labels)["team"]);
        Assert.Equal(new[] { "hi ann" }, Strings(_s.RunOk("Start-Container it-args -AutoRemove")));
    }

    [Fact]
    public void FailingRun_IsATerminatingErrorNamingTheStep_AndTagsNothing()
    {
        using var cleanup = _s.Track();
        Write("Dockerfile", "FROM busybox\nRUN exit 3\n");
        var result = _s.Run("Invoke-ContainerBuild $ctx -Tag it-never", ("ctx", _context));
        var error = Assert.Single(result.Errors);
        Assert.StartsWith("BuildStepFailed,", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidOperation, error.CategoryInfo.Category);
        Assert.Contains("Dockerfile:2", error.Exception.Message);
        Assert.Contains("exit code: 3", error.Exception.Message);
        Assert.Empty(_s.Run("Get-Image it-never").Output);
        Assert.Empty(_s.RunOk("Get-Container -All"));
    }

    [Fact]
    public void ParseError_IsAParserErrorWithFileAndLine_AndWhatIfBuildsNothing()
    {
        Write("Dockerfile", "FROM busybox\nNOPE x\n");
        var result = _s.Run("Invoke-ContainerBuild $ctx", ("ctx", _context));
        var error = Assert.Single(result.Errors);
        Assert.Equal(ErrorCategory.ParserError, error.CategoryInfo.Category);
        Assert.Contains("Dockerfile:2", error.Exception.Message);

        Write("Dockerfile", "FROM busybox\n");
        var before = _s.RunOk("@(Get-Image).Count")[0].BaseObject;
        _s.RunOk("Invoke-ContainerBuild $ctx -Tag it-whatif -WhatIf", ("ctx", _context));
        Assert.Equal(before, _s.RunOk("@(Get-Image).Count")[0].BaseObject);
    }
}
