using Xunit;

namespace ContainerPS.Tests.Unit.Build;

/// <summary>ONBUILD triggers keep their heredocs through the image config and run in the child build.</summary>
public sealed class OnbuildTriggerBuildTests : IDisposable
{
    private readonly BuildFixture _f = new();

    public void Dispose() => _f.Dispose();

    [Fact]
    public async Task Heredoc_triggers_run_when_the_image_is_used_as_a_base()
    {
        var parent = await _f.Build("FROM busybox\nONBUILD COPY <<EOF /from-heredoc.txt\nhello\nEOF\nONBUILD RUN <<EOF\necho ran > /ran\nEOF\n",
            o => o.Tags.Add("onbuild-heredoc-base"));
        Assert.Equal(new[] { "COPY <<EOF /from-heredoc.txt\nhello\nEOF", "RUN <<EOF\necho ran > /ran\nEOF" }, parent.Config.OnBuild);
        await _f.Build("FROM onbuild-heredoc-base\nCMD cat /from-heredoc.txt /ran\n", o => o.Tags.Add("onbuild-heredoc-child"));
        Assert.Equal("hello\nran", await _f.Run("onbuild-heredoc-child"));
    }
}
