namespace ContainerPS.Shell;

/// <summary>
/// Finds the ContainerPS module manifest cpsh pre-imports: <c>$CONTAINERPS_MODULE</c> when set
/// (an empty value means "none"), else <c>&lt;cpsh dir&gt;/../ContainerPS/ContainerPS.psd1</c>,
/// which is where the build lays it out (<c>out/shell/cpsh</c>, <c>out/ContainerPS/</c>).
/// </summary>
internal static class ModuleLocator
{
    public const string EnvironmentVariable = "CONTAINERPS_MODULE";

    /// <summary>The manifest path, or null with <paramref name="warning"/> set (or null when disabled on purpose).</summary>
    public static string? Find(out string? warning)
    {
        warning = null;
        string? configured = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (configured is not null)
        {
            if (configured.Trim().Length == 0)
            {
                return null;
            }

            if (File.Exists(configured))
            {
                return Path.GetFullPath(configured);
            }

            warning = $"The ContainerPS module was not found at '{configured}' (from {EnvironmentVariable}); continuing without it.";
            return null;
        }

        string defaultPath = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "ContainerPS", "ContainerPS.psd1"));
        if (File.Exists(defaultPath))
        {
            return defaultPath;
        }

        warning = $"The ContainerPS module was not found at '{defaultPath}'; set {EnvironmentVariable} to its .psd1. Continuing without it.";
        return null;
    }
}
