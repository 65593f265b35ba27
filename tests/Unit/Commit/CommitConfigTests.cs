using System.Text.Json;
using ContainerPS.Engine.Containers;
using ContainerPS.Engine.Containers.Commit;
using ContainerPS.Engine.Images;

namespace ContainerPS.Tests.Unit.Commit;

/// <summary>moby's merge of a container's create options onto its image's config, as docker commit records it.</summary>
public sealed class CommitConfigTests
{
    private static ContainerConfig Image() => new()
    {
        User = "www",
        Env = new() { "PATH=/usr/bin:/bin", "MODE=image", "KEEP=1" },
        Entrypoint = new() { "/entry.sh" },
        Cmd = new() { "serve" },
        WorkingDir = "/srv",
        Labels = new() { ["a"] = "image", ["b"] = "image" },
        ExposedPorts = new() { ["80/tcp"] = EmptyObject.Instance },
        Volumes = new() { ["/data"] = EmptyObject.Instance },
        StopSignal = "SIGQUIT",
        OnBuild = new() { "RUN make" },
        Shell = new() { "/bin/bash", "-c" },
        Healthcheck = JsonSerializer.SerializeToElement(new { Test = new[] { "CMD", "true" } }),
    };

    private static string? NoCaller(string name) => null;

    [Fact]
    public void Without_options_the_image_config_is_kept_but_onbuild_and_shell_are_not_part_of_a_container()
    {
        var config = CommitConfig.ContainerConfigOf(Image(), new ContainerCreateOptions { Image = "x" }, NoCaller);

        Assert.Equal("www", config.User);
        Assert.Equal(new[] { "PATH=/usr/bin:/bin", "MODE=image", "KEEP=1" }, config.Env);
        Assert.Equal(new[] { "/entry.sh" }, config.Entrypoint);
        Assert.Equal(new[] { "serve" }, config.Cmd);
        Assert.Equal("/srv", config.WorkingDir);
        Assert.Equal("SIGQUIT", config.StopSignal);
        Assert.True(config.ExposedPorts!.ContainsKey("80/tcp"));
        Assert.True(config.Volumes!.ContainsKey("/data"));
        Assert.NotNull(config.Healthcheck);
        Assert.Null(config.OnBuild);
        Assert.Null(config.Shell);
    }

    [Fact]
    public void The_containers_settings_win_and_the_images_fill_the_gaps()
    {
        var options = new ContainerCreateOptions
        {
            Image = "x",
            User = "root",
            Command = new[] { "debug" },
            Environment = new Dictionary<string, string?> { ["MODE"] = "container", ["FROM_CALLER"] = null, ["UNSET"] = null, ["NEW"] = "1" },
            Labels = new Dictionary<string, string> { ["b"] = "container", ["c"] = "container" },
            WorkingDir = "/tmp",
            StopSignal = "SIGTERM",
        };

        var config = CommitConfig.ContainerConfigOf(Image(), options, name => name == "FROM_CALLER" ? "resolved" : null);

        Assert.Equal("root", config.User);
        Assert.Equal(new[] { "MODE=container", "FROM_CALLER=resolved", "NEW=1", "PATH=/usr/bin:/bin", "KEEP=1" }, config.Env);
        Assert.Equal(new[] { "/entry.sh" }, config.Entrypoint);
        Assert.Equal(new[] { "debug" }, config.Cmd);
        Assert.Equal(new Dictionary<string, string> { ["a"] = "image", ["b"] = "container", ["c"] = "container" }, config.Labels);
        Assert.Equal("/tmp", config.WorkingDir);
        Assert.Equal("SIGTERM", config.StopSignal);
        Assert.Equal("debug", CommitConfig.CreatedBy(config));
    }

    [Fact]
    public void An_entrypoint_override_drops_the_images_entrypoint_and_cmd()
    {
        var replaced = CommitConfig.ContainerConfigOf(Image(), new ContainerCreateOptions { Image = "x", Entrypoint = new[] { "/bin/sh" } }, NoCaller);
        var cleared = CommitConfig.ContainerConfigOf(Image(), new ContainerCreateOptions { Image = "x", Entrypoint = new[] { "" }, Command = new[] { "ls" } }, NoCaller);

        Assert.Equal(new[] { "/bin/sh" }, replaced.Entrypoint);
        Assert.Null(replaced.Cmd);
        Assert.Equal("", CommitConfig.CreatedBy(replaced));
        Assert.Null(cleared.Entrypoint);
        Assert.Equal(new[] { "ls" }, cleared.Cmd);
    }

    [Fact]
    public void Changes_apply_on_top_of_the_container_config()
    {
        var config = CommitConfig.Build(Image(), new ContainerCreateOptions { Image = "x", Command = new[] { "debug" } }, NoCaller,
            new[] { "CMD [\"run\"]", "ENV MODE=changed", "USER nobody" });

        Assert.Equal(new[] { "run" }, config.Cmd);
        Assert.Contains("MODE=changed", config.Env!);
        Assert.DoesNotContain("MODE=image", config.Env!);
        Assert.Equal("nobody", config.User);
    }

    [Fact]
    public void Empty_env_and_labels_are_left_out()
    {
        var config = CommitConfig.ContainerConfigOf(null, new ContainerCreateOptions { Image = "x" }, NoCaller);

        Assert.Null(config.Env);
        Assert.Null(config.Labels);
        Assert.Null(config.Cmd);
    }
}
