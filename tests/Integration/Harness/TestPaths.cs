namespace ContainerPS.Tests.Integration.Harness;

/// <summary>Where the repository, the built module and the built shell are.</summary>
public static class TestPaths
{
    /// <summary>Overrides the cpsh used by <see cref="ShellProcess"/>: a cpsh executable or cpsh.dll.</summary>
    public const string ShellVariable = "CONTAINERPS_SHELL";

    /// <summary>The module manifest cpsh pre-imports (also read by <see cref="FindModuleManifest"/>).</summary>
    public const string ModuleVariable = "CONTAINERPS_MODULE";

    /// <summary>The directory holding Containers.sln, searched upwards from the test binaries.</summary>
    public static string RepoRoot { get; } = FindRepoRoot();

    /// <summary>
    /// The ContainerPS module manifest: $CONTAINERPS_MODULE when it names a file, else
    /// out/ContainerPS/ContainerPS.psd1 (laid out by ./build.sh); null when neither exists.
    /// </summary>
    public static string? FindModuleManifest()
    {
        string? configured = Environment.GetEnvironmentVariable(ModuleVariable);
        if (!string.IsNullOrWhiteSpace(configured) && File.Exists(configured))
        {
            return Path.GetFullPath(configured);
        }

        string built = Path.Combine(RepoRoot, "out", "ContainerPS", "ContainerPS.psd1");
        return File.Exists(built) ? built : null;
    }

    /// <summary>
    /// How to start cpsh: $CONTAINERPS_SHELL; else the cpsh.dll built next to these tests
    /// (the project references src/Shell, so it is always current) run by <c>dotnet</c>;
    /// else a published out/shell/cpsh found upwards from here.
    /// </summary>
    public static (string FileName, string[] PrefixArguments) FindShell()
    {
        string? configured = Environment.GetEnvironmentVariable(ShellVariable);
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return Launch(Path.GetFullPath(configured));
        }

        string local = Path.Combine(AppContext.BaseDirectory, "cpsh.dll");
        if (File.Exists(local))
        {
            return Launch(local);
        }

        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string published = Path.Combine(dir.FullName, "out", "shell", "cpsh");
            if (File.Exists(published))
            {
                return (published, Array.Empty<string>());
            }
        }

        throw new InvalidOperationException($"cpsh was not found: build src/Shell, run ./build.sh, or set {ShellVariable}.");
    }

    private static (string, string[]) Launch(string path) =>
        path.EndsWith(".dll", StringComparison.OrdinalIgnoreCase)
            ? (DotnetHost(), new[] { path })
            : (path, Array.Empty<string>());

    /// <summary>The dotnet executable running these tests (DOTNET_HOST_PATH is set by the SDK).</summary>
    private static string DotnetHost() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";

    private static string FindRepoRoot()
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Containers.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Containers.sln was not found above " + AppContext.BaseDirectory);
    }
}
