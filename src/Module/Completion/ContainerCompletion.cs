using System.Collections;
using ContainerPS.Engine.Containers;
using ContainerPS.Runtime.Monitor;

namespace ContainerPS.Module.Completion;

/// <summary>
/// What the container completers share: the containers to offer for a command (the ones it
/// can act on: Stop-Container offers running containers, Start-Container stopped ones) and
/// none where a new name is being typed.
/// </summary>
internal static class ContainerCompletion
{
    /// <summary>The containers worth offering to <paramref name="commandName"/>, newest first.</summary>
    public static IEnumerable<Container> Candidates(string? commandName, string parameterName, IDictionary? fakeBoundParameters)
    {
        // Start-Container IMAGE -Name x / New-Container -Name x: a new name, nothing to offer.
        if (parameterName.Equals("Name", StringComparison.OrdinalIgnoreCase) && IsCreate(commandName, fakeBoundParameters))
            return Array.Empty<Container>();

        var wanted = StatesFor(commandName, fakeBoundParameters);
        return ContainerManager.Open().List(all: true).Where(c => wanted is null || wanted.Contains(c.State));
    }

    private static bool IsCreate(string? commandName, IDictionary? bound)
    {
        var name = CommandNoun(commandName);
        if (name.Equals("New-Container", StringComparison.OrdinalIgnoreCase)) return true;
        return name.Equals("Start-Container", StringComparison.OrdinalIgnoreCase) && bound is not null && bound.Contains("Image");
    }

    private static ContainerStatus[]? StatesFor(string? commandName, IDictionary? bound)
    {
        var running = new[] { ContainerStatus.Running, ContainerStatus.Restarting, ContainerStatus.Paused };
        switch (CommandNoun(commandName).ToLowerInvariant())
        {
            case "stop-container":
            case "restart-container":
                return running;
            case "suspend-container":
                return new[] { ContainerStatus.Running };
            case "resume-container":
                return new[] { ContainerStatus.Paused };
            case "start-container":
                return new[] { ContainerStatus.Created, ContainerStatus.Exited, ContainerStatus.Dead };
            case "get-container":
                var all = bound is not null && (bound.Contains("All") || bound.Contains("Status") || bound.Contains("Latest"));
                return all ? null : running;
            default:
                return null;
        }
    }

    // "ContainerPS\Stop-Container" → "Stop-Container".
    private static string CommandNoun(string? commandName)
    {
        var name = commandName ?? "";
        var slash = name.LastIndexOf('\\');
        return slash >= 0 ? name[(slash + 1)..] : name;
    }
}
