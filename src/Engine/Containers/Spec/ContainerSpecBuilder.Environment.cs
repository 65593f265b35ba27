using ContainerPS.Engine.Errors;
using ContainerPS.Runtime.Spec;

namespace ContainerPS.Engine.Containers.Spec;

public sealed partial class ContainerSpecBuilder
{
    /// <summary>
    /// The process environment, as Docker composes it (moby CreateDaemonEnvironment +
    /// ReplaceOrAppendEnvValues): start from PATH=&lt;Docker's default&gt;, HOSTNAME and, with a
    /// tty, TERM=xterm; then apply the image's ENV overlaid with the options (same name replaces
    /// in place, new names are appended). An option with a null value takes the caller's
    /// variable, and unsets the name when the caller has none. HOME comes last, from the user's
    /// passwd entry, when nothing set it (what runc and crun do at start).
    /// </summary>
    /// <exception cref="InvalidArgumentException">A variable name is empty or contains '=' or NUL.</exception>
    public List<string> BuildEnvironment(IEnumerable<string>? imageEnv, IDictionary<string, string?>? options, string hostname, bool tty, string home)
    {
        // The container's own settings: image ENV, overlaid by the options.
        var config = new List<string>(imageEnv ?? Array.Empty<string>());
        if (options is not null)
        {
            foreach (var (name, given) in options)
            {
                ValidateEnvironmentName(name);
                var value = given ?? LookupEnvironment(name);
                // "-e VAR" with VAR unset in the caller: Docker passes the bare name, which removes VAR.
                Set(config, name, value is null ? name : name + "=" + value);
            }
        }

        var env = new List<string> { "PATH=" + SpecDefaults.PathEnv, "HOSTNAME=" + hostname };
        if (tty) env.Add("TERM=xterm");
        foreach (var entry in config) Set(env, Name(entry), entry);
        env.RemoveAll(e => !e.Contains('='));

        if (!env.Any(e => Name(e) == "HOME")) env.Add("HOME=" + home);
        return env;
    }

    /// <summary>Environment names must be non-empty and free of '=' and NUL (they could not be passed to execve).</summary>
    /// <exception cref="InvalidArgumentException">The name is not usable.</exception>
    public static void ValidateEnvironmentName(string name)
    {
        if (string.IsNullOrEmpty(name) || name.Contains('=') || name.Contains('\0'))
            throw new InvalidArgumentException("InvalidEnvironmentVariable", $"invalid environment variable name: '{name}'", name);
    }

    // Replace the entry with the same name in place, else append (ReplaceOrAppendEnvValues). A bare
    // name (no '=') marks the variable for removal.
    private static void Set(List<string> env, string name, string entry)
    {
        var i = env.FindIndex(e => Name(e) == name);
        if (i >= 0) env[i] = entry;
        else env.Add(entry);
    }

    private static string Name(string entry)
    {
        var eq = entry.IndexOf('=');
        return eq < 0 ? entry : entry[..eq];
    }
}
