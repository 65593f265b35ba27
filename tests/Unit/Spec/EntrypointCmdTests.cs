using ContainerPS.Engine.Containers.Spec;
using ContainerPS.Engine.Errors;
using ContainerPS.Engine.Images;

namespace ContainerPS.Tests.Unit.Spec;

/// <summary>
/// Docker's "Understand how CMD and ENTRYPOINT interact" table, with shell forms as the
/// Dockerfile builder stores them (["/bin/sh","-c","..."]), plus the override rules of docker run.
/// </summary>
public sealed class EntrypointCmdTests
{
    private static readonly string[] ExecEntry = { "exec_entry", "p1_entry" };
    private static readonly string[] ShellEntry = { "/bin/sh", "-c", "exec_entry p1_entry" };
    private static readonly string[] ExecCmd = { "exec_cmd", "p1_cmd" };
    private static readonly string[] ShellCmd = { "/bin/sh", "-c", "exec_cmd p1_cmd" };

    public static TheoryData<string, string[]?, string[]?, string[]> Matrix => new()
    {
        // No ENTRYPOINT
        { "no entrypoint, exec cmd", null, ExecCmd, new[] { "exec_cmd", "p1_cmd" } },
        { "no entrypoint, shell cmd", null, ShellCmd, new[] { "/bin/sh", "-c", "exec_cmd p1_cmd" } },
        // ENTRYPOINT exec_entry p1_entry (shell form): CMD arrives as $0, $1... and is ignored by sh
        { "shell entrypoint, no cmd", ShellEntry, null, new[] { "/bin/sh", "-c", "exec_entry p1_entry" } },
        { "shell entrypoint, exec cmd", ShellEntry, ExecCmd, new[] { "/bin/sh", "-c", "exec_entry p1_entry", "exec_cmd", "p1_cmd" } },
        { "shell entrypoint, shell cmd", ShellEntry, ShellCmd, new[] { "/bin/sh", "-c", "exec_entry p1_entry", "/bin/sh", "-c", "exec_cmd p1_cmd" } },
        // ENTRYPOINT ["exec_entry", "p1_entry"]
        { "exec entrypoint, no cmd", ExecEntry, null, new[] { "exec_entry", "p1_entry" } },
        { "exec entrypoint, exec cmd", ExecEntry, ExecCmd, new[] { "exec_entry", "p1_entry", "exec_cmd", "p1_cmd" } },
        { "exec entrypoint, shell cmd", ExecEntry, ShellCmd, new[] { "exec_entry", "p1_entry", "/bin/sh", "-c", "exec_cmd p1_cmd" } },
    };

    [Theory]
    [MemberData(nameof(Matrix))]
    public void Docker_table(string _, string[]? entrypoint, string[]? cmd, string[] expected)
    {
        var image = new ContainerConfig { Entrypoint = entrypoint?.ToList(), Cmd = cmd?.ToList() };
        Assert.Equal(expected, ContainerSpecBuilder.ResolveArgs(image, SpecTestBuilder.Options()));
    }

    [Fact]
    public void No_entrypoint_and_no_cmd_is_Dockers_no_command_specified()
    {
        var ex = Assert.Throws<InvalidArgumentException>(() => ContainerSpecBuilder.ResolveArgs(new ContainerConfig(), SpecTestBuilder.Options()));
        Assert.Equal("no command specified", ex.Message);
        Assert.Equal("NoCommandSpecified", ex.ErrorId);
        Assert.Throws<InvalidArgumentException>(() => ContainerSpecBuilder.ResolveArgs(null, SpecTestBuilder.Options()));
    }

    [Fact]
    public void Hello_world_example_and_args_replacing_cmd()
    {
        var image = new ContainerConfig { Entrypoint = new() { "/bin/echo", "Hello" }, Cmd = new() { "world" } };
        Assert.Equal(new[] { "/bin/echo", "Hello", "world" }, ContainerSpecBuilder.ResolveArgs(image, SpecTestBuilder.Options()));
        Assert.Equal(new[] { "/bin/echo", "Hello", "CloudMan" }, ContainerSpecBuilder.ResolveArgs(image, SpecTestBuilder.Options("CloudMan")));
    }

    [Fact]
    public void Args_replace_cmd_without_entrypoint()
    {
        var image = new ContainerConfig { Cmd = new() { "/bin/sh", "-c", "echo hi" } };
        Assert.Equal(new[] { "ls", "-l" }, ContainerSpecBuilder.ResolveArgs(image, SpecTestBuilder.Options("ls", "-l")));
    }

    [Fact]
    public void An_empty_command_array_counts_as_none_given()
    {
        var image = new ContainerConfig { Cmd = new() { "sh" } };
        var options = SpecTestBuilder.Options();
        options.Command = Array.Empty<string>();
        Assert.Equal(new[] { "sh" }, ContainerSpecBuilder.ResolveArgs(image, options));
    }

    [Fact]
    public void Entrypoint_override_replaces_entrypoint_and_discards_image_cmd()
    {
        var image = new ContainerConfig { Entrypoint = new() { "/bin/echo", "Hello" }, Cmd = new() { "world" } };
        var options = SpecTestBuilder.Options();
        options.Entrypoint = new[] { "/bin/ls" };
        Assert.Equal(new[] { "/bin/ls" }, ContainerSpecBuilder.ResolveArgs(image, options));

        options.Command = new[] { "-l", "/" };
        Assert.Equal(new[] { "/bin/ls", "-l", "/" }, ContainerSpecBuilder.ResolveArgs(image, options));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void Empty_entrypoint_override_clears_it_and_needs_args(int form)
    {
        var cleared = form == 0 ? Array.Empty<string>() : new[] { "" };
        var image = new ContainerConfig { Entrypoint = new() { "/docker-entrypoint.sh" }, Cmd = new() { "nginx" } };
        var options = SpecTestBuilder.Options();
        options.Entrypoint = cleared;
        // --entrypoint "" also drops the image's CMD (moby merge), leaving nothing to run.
        var ex = Assert.Throws<InvalidArgumentException>(() => ContainerSpecBuilder.ResolveArgs(image, options));
        Assert.Equal("no command specified", ex.Message);

        options.Command = new[] { "sh", "-c", "id" };
        Assert.Equal(new[] { "sh", "-c", "id" }, ContainerSpecBuilder.ResolveArgs(image, options));
    }

    [Fact]
    public void Image_entrypoint_with_user_args_only()
    {
        var image = new ContainerConfig { Entrypoint = new() { "/bin/echo" } };
        Assert.Equal(new[] { "/bin/echo", "a", "b" }, ContainerSpecBuilder.ResolveArgs(image, SpecTestBuilder.Options("a", "b")));
    }
}
