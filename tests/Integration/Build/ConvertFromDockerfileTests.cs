using System.Management.Automation;
using ContainerPS.Tests.Integration.Images;
using Xunit;

namespace ContainerPS.Tests.Integration.Build;

/// <summary>ConvertFrom-Dockerfile through the built module in a real runspace.</summary>
[Collection(ImagesCollection.Name)]
public sealed class ConvertFromDockerfileTests : IClassFixture<ImageSession>
{
    private readonly ImageSession _s;

    public ConvertFromDockerfileTests(ImageSession session) => _s = session;

    private string Write(string name, string text)
    {
        var path = Path.Combine(_s.WorkDirectory, name);
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void Instructions_are_objects_with_stage_lines_and_typed_record()
    {
        Write("Dockerfile.multi", """
            ARG V=1
            FROM busybox AS build
            RUN --mount=type=cache,target=/c echo \
                hi
            FROM build
            HEALTHCHECK --interval=5s CMD ["true"]
            ONBUILD RUN echo later
            """);
        var rows = _s.RunOk("ConvertFrom-Dockerfile ./Dockerfile.multi");
        Assert.Equal(new[] { "ARG", "FROM", "RUN", "FROM", "HEALTHCHECK", "ONBUILD" }, rows.Select(r => (string)r.Properties["Instruction"].Value));
        var run = rows[2];
        Assert.Equal("build", run.Properties["Stage"].Value);
        Assert.Equal(3, run.Properties["StartLine"].Value);
        Assert.Equal(4, run.Properties["EndLine"].Value);
        Assert.Equal(new[] { "--mount=type=cache,target=/c" }, (string[])run.Properties["Flags"].Value);
        Assert.Equal("RUN --mount=type=cache,target=/c echo     hi", run.Properties["Original"].Value);
        Assert.Equal(new[] { "RUN", "echo later" }, (string[])rows[5].Properties["Arguments"].Value);
        Assert.Equal(new[] { "CMD", "true" }, _s.RunOk("(ConvertFrom-Dockerfile ./Dockerfile.multi)[4].Parsed.Health.Test").Select(o => (string)o.BaseObject));

        // What scripts filter on: the instructions of the second stage.
        Assert.Equal(2, _s.RunOk("ConvertFrom-Dockerfile ./Dockerfile.multi | Where-Object StageIndex -eq 1 | Where-Object Instruction -ne FROM").Count);
    }

    [Fact]
    public void Content_parameter_and_table_view()
    {
        var table = string.Join("\n", _s.RunOk("ConvertFrom-Dockerfile -Content \"FROM busybox`nCMD [`\"sh`\", `\"-c`\", `\"ls`\"]\" | Out-String -Width 200").Select(o => o.ToString()));
        Assert.Contains("Instruction", table);
        Assert.Contains("[\"sh\", \"-c\", \"ls\"]", table);
    }

    [Fact]
    public void Env_and_label_pairs_read_as_written()
    {
        var rows = _s.RunOk("ConvertFrom-Dockerfile -Content \"FROM busybox`nENV A=1 B=`\"x y`\"`nLABEL legacy value here\"");
        Assert.Equal(new[] { "A=1", "B=\"x y\"" }, (string[])rows[1].Properties["Arguments"].Value);
        Assert.Equal(new[] { "legacy=value here" }, (string[])rows[2].Properties["Arguments"].Value);
        Assert.Single(_s.RunOk("ConvertFrom-Dockerfile -Content \"FROM busybox`nENV DEBIAN_FRONTEND=noninteractive\" | Where-Object Arguments -contains 'DEBIAN_FRONTEND=noninteractive'"));
    }

    [Fact]
    public void Parse_errors_are_ParserError_records_naming_file_and_line()
    {
        var bad = Write("Dockerfile.bad", "FROM busybox\nRUN <<EOF\nnever terminated\n");
        Write("Dockerfile.good", "FROM busybox\n");
        var result = _s.Run("ConvertFrom-Dockerfile ./Dockerfile.bad, ./Dockerfile.good");
        Assert.Single(result.Output);
        var error = Assert.Single(result.Errors);
        Assert.Equal(ErrorCategory.ParserError, error.CategoryInfo.Category);
        Assert.StartsWith("DockerfileParseError,", error.FullyQualifiedErrorId);
        Assert.Equal($"{bad}:2: unterminated heredoc", error.Exception.Message);
        Assert.Equal(2, error.Exception.GetType().GetProperty("Line")!.GetValue(error.Exception));
    }

    [Fact]
    public void Missing_file_is_ObjectNotFound()
    {
        var result = _s.Run("ConvertFrom-Dockerfile ./no-such-Dockerfile");
        var error = Assert.Single(result.Errors);
        Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
    }
}
