using System.Collections;
using System.Management.Automation;
using ContainerPS.Engine.Containers;

namespace ContainerPS.Module.Containers;

/// <summary>
/// Base of the cmdlets that run a process inside a running container (docker exec):
/// Invoke-ContainerCommand and Enter-Container share -User, -WorkingDirectory and -Environment.
/// </summary>
public abstract class ContainerExecCmdlet : ContainerTargetCmdlet
{
    /// <summary>"uid", "uid:gid", "name" or "name:group" in the container (default: the container's user).</summary>
    [Parameter]
    public string? User { get; set; }

    /// <summary>Absolute working directory in the container (default: the container's).</summary>
    [Parameter]
    [Alias("Workdir")]
    public string? WorkingDirectory { get; set; }

    /// <summary>Variables to set: a hashtable or "NAME=value" strings; "NAME" alone takes this session's value.</summary>
    [Parameter]
    [KeyValueTransformation(NullForMissingValue = true)]
    public IDictionary? Environment { get; set; }

    /// <summary>The engine's exec options for <paramref name="command"/> from the bound parameters.</summary>
    protected ExecOptions BuildExecOptions(IReadOnlyList<string> command, bool interactive, bool tty)
    {
        var env = new Dictionary<string, string?>(StringComparer.Ordinal);
        if (Environment is not null)
            foreach (DictionaryEntry e in Environment) env[e.Key.ToString()!] = e.Value?.ToString();
        return new ExecOptions
        {
            Command = command,
            User = User,
            WorkingDir = WorkingDirectory,
            Environment = env,
            Interactive = interactive,
            Tty = tty,
        };
    }
}
