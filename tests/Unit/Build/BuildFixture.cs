using ContainerPS.Engine.Build.Execution;
using ContainerPS.Engine.Containers;
using ContainerPS.Engine.Images;
using ContainerPS.Tests.Unit.Containers;

namespace ContainerPS.Tests.Unit.Build;

/// <summary>A throw-away store with busybox, a context directory, and helpers to build and run images.</summary>
public sealed class BuildFixture : IDisposable
{
    public ContainerHarness Harness { get; } = new();
    public string Context { get; }
    public List<BuildOutput> Output { get; } = new();

    public BuildFixture()
    {
        Context = Harness.Store.PathFor("context-" + Guid.NewGuid().ToString("N")[..6]);
        Directory.CreateDirectory(Context);
    }

    public void Write(string relative, string content)
    {
        var path = Path.Combine(Context, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
    }

    public Task<Image> Build(string dockerfile, Action<BuildOptions>? configure = null)
    {
        Write("Dockerfile", dockerfile);
        lock (Output) Output.Clear();
        var options = new BuildOptions { ContextPath = Context, Output = o => { lock (Output) Output.Add(o); } };
        configure?.Invoke(options);
        return new ImageBuilder(Harness.Containers).BuildAsync(options, null, CancellationToken.None);
    }

    /// <summary>Status lines of the last build ("[2/3] RUN … CACHED").</summary>
    public List<string> Statuses()
    {
        lock (Output) return Output.Where(o => o.Stream == "status").Select(o => o.Text).ToList();
    }

    /// <summary>Runs the image to its end (as Start-Container does) and returns stdout.</summary>
    public async Task<string> Run(string image, params string[] command)
    {
        var result = await Harness.RunToEnd(new ContainerCreateOptions { Image = image, Command = command.Length > 0 ? command : null });
        Assert.Equal(0, result.ExitCode);
        return result.Stdout;
    }

    public void Dispose() => Harness.Dispose();
}
