using ContainerPS.Engine.Build.Instructions;
using ContainerPS.Engine.Errors;
using ContainerPS.Engine.Images;

namespace ContainerPS.Tests.Unit.Build;

/// <summary>--change (commit/import) goes through the Dockerfile parser and the shared config editor.</summary>
public class ImageConfigEditorTests
{
    [Fact]
    public void Changes_use_the_dockerfile_syntax_and_expand_with_the_config_env()
    {
        var config = new ContainerConfig { Env = new() { "HOME=/root" }, Cmd = new() { "sh" } };
        ConfigChange.ApplyAll(config, new[]
        {
            "ENV APP=/srv/app DATA=\"$HOME/data\"",
            "WORKDIR $APP",
            "WORKDIR sub",
            "LABEL a=1 \"b c\"=\"d e\"",
            "EXPOSE 80 8000-8002/udp",
            "VOLUME [\"/v1\", \"/v2\"]",
            "USER ${APP_USER:-app}",
            "STOPSIGNAL SIGINT",
            "HEALTHCHECK --interval=30s --retries=2 CMD curl -f localhost",
            "ONBUILD RUN echo $HOME",
            "cmd [\"run\"]",
            "ENTRYPOINT [\"/entry\"]",
        });
        Assert.Equal(new[] { "HOME=/root", "APP=/srv/app", "DATA=/root/data" }, config.Env);
        Assert.Equal("/srv/app/sub", config.WorkingDir);
        Assert.Equal("d e", config.Labels!["b c"]);
        Assert.Equal(new[] { "80/tcp", "8000/udp", "8001/udp", "8002/udp" }, config.ExposedPorts!.Keys);
        Assert.Equal(new[] { "/v1", "/v2" }, config.Volumes!.Keys);
        Assert.Equal("app", config.User);
        Assert.Equal("SIGINT", config.StopSignal);
        Assert.Equal("""{"Test":["CMD-SHELL","curl -f localhost"],"Interval":30000000000,"Retries":2}""", config.Healthcheck!.Value.GetRawText());
        Assert.Equal(new[] { "RUN echo $HOME" }, config.OnBuild);
        // CMD came first, so ENTRYPOINT keeps it.
        Assert.Equal(new[] { "run" }, config.Cmd);
        Assert.Equal(new[] { "/entry" }, config.Entrypoint);
    }

    [Fact]
    public void Entrypoint_clears_an_inherited_cmd_and_shell_form_uses_the_shell()
    {
        var config = new ContainerConfig { Cmd = new() { "sh" }, Shell = new() { "/bin/bash", "-c" } };
        ConfigChange.ApplyAll(config, new[] { "ENTRYPOINT top -b" });
        Assert.Null(config.Cmd);
        Assert.Equal(new[] { "/bin/bash", "-c", "top -b" }, config.Entrypoint);
        ConfigChange.Apply(config, "ENTRYPOINT []");
        Assert.Null(config.Entrypoint);
        ConfigChange.Apply(config, "HEALTHCHECK NONE");
        Assert.Equal("""{"Test":["NONE"]}""", config.Healthcheck!.Value.GetRawText());
        ConfigChange.Apply(config, "CMD [not json]");
        Assert.Equal(new[] { "/bin/bash", "-c", "[not json]" }, config.Cmd);
    }

    [Theory]
    [InlineData("RUN echo no", "RUN is not a valid change command")]
    [InlineData("FROB x", "FROB is not a valid change command")]
    [InlineData("ENV A=b C", "Syntax error - can't find = in \"C\"")]
    [InlineData("EXPOSE 70000", "invalid containerPort: 70000")]
    [InlineData("USER ${X", "failed to process \"${X\": syntax error: missing '}'")]
    [InlineData("HEALTHCHECK --retries=0 CMD true", "--retries must be at least 1 (not 0)")]
    [InlineData("", "file with no instructions")]
    public void Bad_changes_are_InvalidChange_naming_the_change(string change, string why)
    {
        var e = Assert.Throws<InvalidArgumentException>(() => ConfigChange.Apply(new ContainerConfig(), change));
        Assert.Equal("InvalidChange", e.ErrorId);
        Assert.StartsWith($"invalid change \"{change}\": ", e.Message);
        Assert.Contains(why, e.Message);
    }

    [Fact]
    public void Port_specs_follow_docker()
    {
        Assert.Equal(new[] { "53/udp" }, ImageConfigEditor.PortSpecs("53/UDP"));
        Assert.Throws<InstructionParseException>(() => ImageConfigEditor.PortSpecs("80/foo"));
        Assert.Throws<InstructionParseException>(() => ImageConfigEditor.PortSpecs("90-80"));
    }
}
