using ContainerPS.Engine.Errors;

namespace ContainerPS.Engine.Containers;

/// <summary>
/// Finds the containerps-shim binary: $CONTAINERPS_SHIM, else beside the engine assembly
/// (the module's deps/ folder, where build.sh publishes it), else out/ContainerPS/deps/ in a
/// checkout above the running program (tests).
/// </summary>
public static class ShimLocator
{
    public const string Variable = "CONTAINERPS_SHIM";
    public const string FileName = "containerps-shim";

    /// <summary>The per-container monitor, a binary of its own beside the shim (see src/Monitor).</summary>
    public const string MonitorFileName = "containerps-monitor";

    /// <summary>The monitor binary that belongs with <paramref name="shimPath"/> (same directory).</summary>
    public static string MonitorBeside(string shimPath) => Path.Combine(Path.GetDirectoryName(shimPath) ?? ".", MonitorFileName);

    public static string Find()
    {
        var env = Environment.GetEnvironmentVariable(Variable);
        if (!string.IsNullOrEmpty(env))
        {
            if (File.Exists(env)) return env;
            throw new NotFoundException("ShimNotFound", $"${Variable} names {env}, which does not exist", env);
        }
        var beside = Path.Combine(Path.GetDirectoryName(typeof(ShimLocator).Assembly.Location) ?? "", FileName);
        if (File.Exists(beside)) return beside;
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "out", "ContainerPS", "deps", FileName);
            if (File.Exists(candidate)) return candidate;
        }
        throw new NotFoundException("ShimNotFound", $"{FileName} not found beside {beside} nor in out/ContainerPS/deps: run ./build.sh", beside);
    }
}
