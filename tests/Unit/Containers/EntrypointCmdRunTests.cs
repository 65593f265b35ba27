using ContainerPS.Engine.Containers;

namespace ContainerPS.Tests.Unit.Containers;

/// <summary>
/// Docker's ENTRYPOINT/CMD rules end to end: images made with docker import --change, run on
/// the real runtime, and what the process printed.
/// </summary>
[Collection("Containers")]
public sealed class EntrypointCmdRunTests : IDisposable
{
    private readonly ContainerHarness _h = new();

    public EntrypointCmdRunTests()
    {
        _h.Import("hello:latest", "ENTRYPOINT [\"/bin/echo\",\"Hello\"]", "CMD [\"world\"]");
    }

    public void Dispose() => _h.Dispose();

    private Task<RunResult> Run(string image, string[]? command = null, string[]? entrypoint = null) =>
        _h.RunToEnd(new ContainerCreateOptions { Image = image, Command = command, Entrypoint = entrypoint });

    [Fact]
    public async Task Exec_form_entrypoint_gets_the_image_cmd_as_arguments()
    {
        var r = await Run("hello");
        Assert.Equal(0, r.ExitCode);
        Assert.Equal("Hello world", r.Stdout);
        Assert.Equal("/bin/echo", _h.Containers.Get(r.Id).Path);
        Assert.Equal(new[] { "Hello", "world" }, _h.Containers.Get(r.Id).Args);
    }

    [Fact]
    public async Task Run_arguments_replace_the_cmd_and_keep_the_entrypoint()
    {
        var r = await Run("hello", new[] { "CloudMan" });
        Assert.Equal("Hello CloudMan", r.Stdout);
        r = await Run("hello", new[] { "two", "words" });
        Assert.Equal("Hello two words", r.Stdout);
    }

    [Fact]
    public async Task Shell_form_cmd_runs_through_sh_and_expands_variables()
    {
        _h.Import("shellcmd:latest", "ENV GREETING=hi", "CMD echo $GREETING from $HOSTNAME pid $$");
        var r = await Run("shellcmd");
        Assert.Equal(0, r.ExitCode);
        Assert.Equal($"hi from {r.Id[..12]} pid 1", r.Stdout);
        Assert.Equal("/bin/sh", _h.Containers.Get(r.Id).Path);
    }

    [Fact]
    public async Task Shell_form_entrypoint_ignores_cmd_and_run_arguments()
    {
        _h.Import("shellentry:latest", "ENTRYPOINT echo entry", "CMD [\"ignored\"]");
        Assert.Equal("entry", (await Run("shellentry")).Stdout);
        Assert.Equal("entry", (await Run("shellentry", new[] { "also-ignored" })).Stdout);
    }

    [Fact]
    public async Task An_entrypoint_override_discards_the_image_cmd()
    {
        var r = await Run("hello", entrypoint: new[] { "/bin/echo" });
        Assert.Equal(0, r.ExitCode);
        Assert.Equal("", r.Stdout); // echo with no arguments: CMD ["world"] went with the entrypoint
        r = await Run("hello", new[] { "bye" }, new[] { "/bin/echo" });
        Assert.Equal("bye", r.Stdout);
        r = await Run("hello", new[] { "-c", "echo $((6*7))" }, new[] { "sh" });
        Assert.Equal("42", r.Stdout);
    }

    [Fact]
    public async Task An_empty_entrypoint_override_runs_the_arguments_alone()
    {
        var r = await Run("hello", new[] { "echo", "plain" }, Array.Empty<string>());
        Assert.Equal("plain", r.Stdout);
    }

    [Fact]
    public async Task Cmd_only_image_runs_the_cmd_and_arguments_replace_it()
    {
        _h.Import("cmdonly:latest", "CMD [\"echo\",\"from\",\"cmd\"]");
        Assert.Equal("from cmd", (await Run("cmdonly")).Stdout);
        Assert.Equal("replaced", (await Run("cmdonly", new[] { "echo", "replaced" })).Stdout);
    }
}
