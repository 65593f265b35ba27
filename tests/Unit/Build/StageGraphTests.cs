using ContainerPS.Engine.Build.Instructions;
using ContainerPS.Engine.Build.Stages;
using ContainerPS.Engine.Errors;

namespace ContainerPS.Tests.Unit.Build;

public class StageGraphTests
{
    private const string MultiStage = """
        ARG BASE=alpine
        FROM $BASE AS deps
        RUN echo deps
        FROM golang AS build
        COPY --from=deps /x /x
        FROM build AS test
        RUN go test
        FROM scratch AS docs
        COPY --from=2 /doc /doc
        FROM scratch
        ARG SRC=build
        COPY --from=$SRC /app /app
        """;

    private static (Dockerfile, StageGraph) Graph(string text, Dictionary<string, string>? args = null)
    {
        var df = Dockerfile.Parse(text);
        return (df, StageGraph.Build(df, GlobalScope.Create(df, args)));
    }

    [Fact]
    public void Target_prunes_stages_it_does_not_need()
    {
        var (_, graph) = Graph(MultiStage);
        Assert.Equal(new[] { "deps", "build", "4" }, graph.Required().Select(s => s.DisplayName));
        Assert.Equal(new[] { "deps", "build", "test" }, graph.Required("test").Select(s => s.DisplayName));
        // --from=2 is the third stage, test.
        Assert.Equal(new[] { "deps", "build", "test", "docs" }, graph.Required("DOCS").Select(s => s.DisplayName));
        Assert.Equal(new[] { "deps" }, graph.Required("deps").Select(s => s.DisplayName));
        Assert.Equal("build", graph.BaseStage(2)!.Name);
        Assert.Null(graph.BaseStage(1));
        Assert.Equal("alpine", graph.ExpandedFrom(0).BaseName);
        var e = Assert.Throws<NotFoundException>(() => graph.Required("nope"));
        Assert.Equal("BuildTargetNotFound", e.ErrorId);
        Assert.Equal("target stage \"nope\" could not be found", e.Message);
    }

    [Fact]
    public void Copy_from_is_expanded_with_the_stage_args_and_build_args()
    {
        var (_, graph) = Graph(MultiStage, new() { ["SRC"] = "deps" });
        Assert.Equal(new[] { "deps", "4" }, graph.Required().Select(s => s.DisplayName));
        Assert.Equal("deps", graph.Resolve("deps")!.Name);
        Assert.Null(graph.Resolve("busybox:latest"));
        Assert.Equal("deps", graph.Resolve("0")!.Name);
        Assert.Null(graph.Resolve("9"));
    }

    [Fact]
    public void From_names_only_earlier_stages_else_an_image()
    {
        var (_, graph) = Graph("FROM later AS first\nFROM busybox AS later\n");
        Assert.Null(graph.BaseStage(0));
        Assert.Empty(graph.DependenciesOf(0));
    }

    [Fact]
    public void Scopes_follow_docker_arg_and_env_rules()
    {
        var df = Dockerfile.Parse("""
            ARG V=1
            FROM busybox:$V
            RUN echo
            ARG V
            ARG W=$V-w
            ENV V=env
            ARG HTTP_PROXY
            """);
        var global = GlobalScope.Create(df, new Dictionary<string, string> { ["https_proxy"] = "http://127.0.0.1:1", ["HTTP_PROXY"] = "http://127.0.0.1:2" });
        Assert.Equal("busybox:1", global.ExpandFrom(df.Stages[0].From).BaseName);
        var scope = global.BeginStage(df.Stages[0], new[] { "PATH=/bin", "V=image" });
        Assert.Equal("image", scope.Lookup("V"));
        var instructions = df.Stages[0].Instructions;
        scope.Apply(instructions[0]);
        scope.Apply(instructions[1]);
        // An ARG declared after an inherited ENV wins for the build (BuildKit), not in the image config.
        Assert.Equal("1", scope.Lookup("V"));
        Assert.Equal(new[] { "PATH=/bin", "V=image" }, scope.EnvironmentList);
        foreach (var i in instructions.Skip(2)) scope.Apply(i);
        Assert.Equal(new[] { "V=1", "W=1-w", "HTTP_PROXY=http://127.0.0.1:2" }, scope.Args.Select(a => a.Key + "=" + a.Value));
        Assert.Equal(new[] { "PATH=/bin", "V=env" }, scope.EnvironmentList);
        // ENV after the ARG wins; an undeclared proxy arg reaches RUN but not history.
        Assert.Equal("env", scope.Lookup("V"));
        Assert.Equal(new[] { "https_proxy=http://127.0.0.1:1", "PATH=/bin", "V=env", "W=1-w", "HTTP_PROXY=http://127.0.0.1:2" }, scope.RunEnvironment());
        Assert.Empty(global.UnconsumedBuildArgs());
    }

    [Fact]
    public void Onbuild_triggers_parse_and_refuse_what_docker_refuses()
    {
        var triggers = Dockerfile.ParseTriggers(new[] { "RUN echo hi", "COPY <<EOF /x\nhello\nEOF" }, "base image");
        Assert.IsType<RunInstruction>(triggers[0]);
        var copy = Assert.IsType<CopyInstruction>(triggers[1]);
        Assert.Equal("hello\n", Assert.Single(copy.InlineSources).Data);
        var e = Assert.Throws<DockerfileParseException>(() => Dockerfile.ParseTriggers(new[] { "FROM x" }, "base image"));
        Assert.Equal("base image:1: FROM isn't allowed as an ONBUILD trigger", e.Message);
    }

    [Fact]
    public void Describe_flattens_instructions_with_their_stage()
    {
        var rows = Dockerfile.Parse(MultiStage).Describe().ToList();
        Assert.Equal(12, rows.Count);
        Assert.Equal((-1, (string?)null), (rows[0].StageIndex, rows[0].Stage));
        Assert.Equal(("COPY", "4", 12), (rows[11].Instruction, rows[11].Stage, rows[11].StartLine));
    }
}
