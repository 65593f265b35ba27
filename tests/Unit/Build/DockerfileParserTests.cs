using ContainerPS.Engine.Build.Instructions;
using ContainerPS.Engine.Build.Parsing;
using ContainerPS.Engine.Build.Stages;
using ContainerPS.Engine.Errors;

namespace ContainerPS.Tests.Unit.Build;

public class DockerfileParserTests
{
    [Fact]
    public void Parses_stages_instructions_and_lines()
    {
        var df = Dockerfile.Parse("""
            # syntax=docker/dockerfile:1
            ARG BASE=busybox
            FROM $BASE AS build
            RUN echo hi \
                && echo there
            COPY --from=0 --chown=1:1 a b /dst/
            FROM scratch
            CMD ["sh", "-c", "x"]
            """);
        Assert.Equal("docker/dockerfile:1", df.Syntax.Syntax);
        Assert.Single(df.MetaArgs);
        Assert.Equal(2, df.Stages.Count);
        var run = Assert.IsType<RunInstruction>(df.Stages[0].Instructions[0]);
        Assert.Equal(4, run.StartLine);
        Assert.Equal(5, run.EndLine);
        Assert.Equal("echo hi     && echo there", Assert.Single(run.Command.Arguments));
        var copy = Assert.IsType<CopyInstruction>(df.Stages[0].Instructions[1]);
        Assert.Equal("0", copy.From);
        Assert.Equal(new[] { "a", "b" }, copy.Sources);
        var cmd = Assert.IsType<CmdInstruction>(df.Stages[1].Instructions[0]);
        Assert.True(cmd.Command.IsExecForm);
        var global = GlobalScope.Create(df);
        Assert.Equal("busybox", global.ExpandFrom(df.Stages[0].From).BaseName);
    }

    [Fact]
    public void Unknown_instruction_names_file_and_line()
    {
        var e = Assert.Throws<DockerfileParseException>(() => Dockerfile.Parse("FROM x\n\nFOO bar\n"));
        Assert.Equal("Dockerfile:3: unknown instruction: FOO", e.Message);
        Assert.Equal("dockerfile parse error on line 3: unknown instruction: FOO", e.DockerMessage);
    }
}
