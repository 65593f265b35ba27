using ContainerPS.Engine.Errors;
using ContainerPS.Engine.Images;

namespace ContainerPS.Engine.Containers.Spec;

public sealed partial class ContainerSpecBuilder
{
    /// <summary>
    /// The process arguments, by Docker's rules (moby daemon merge + "Reset the Entrypoint if it is
    /// [""]"): command-line args replace the image's CMD; an entrypoint override replaces the image's
    /// ENTRYPOINT and discards its CMD; an empty override clears the entrypoint. The result is
    /// ENTRYPOINT followed by CMD. Shell forms are already stored as ["/bin/sh","-c","..."] in the
    /// image, so a shell-form ENTRYPOINT receives CMD as $0, $1... and ignores it, as in Docker.
    /// </summary>
    /// <exception cref="InvalidArgumentException">Neither an entrypoint nor a command remains ("no command specified").</exception>
    public static List<string> ResolveArgs(ContainerConfig? image, ContainerCreateOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        IReadOnlyList<string>? entrypoint;
        IReadOnlyList<string>? cmd = options.Command is { Length: > 0 } ? options.Command : null;
        if (options.Entrypoint is not null)
        {
            entrypoint = options.Entrypoint;
        }
        else
        {
            entrypoint = image?.Entrypoint;
            cmd ??= image?.Cmd;
        }
        if (entrypoint is [""]) entrypoint = null;

        var args = new List<string>();
        if (entrypoint is not null) args.AddRange(entrypoint);
        if (cmd is not null) args.AddRange(cmd);
        if (args.Count == 0)
            throw new InvalidArgumentException("NoCommandSpecified", "no command specified", options.Image);
        return args;
    }
}
