using ContainerPS.Engine.Build.Expansion;
using ContainerPS.Engine.Build.Instructions;
using ContainerPS.Engine.Build.Parsing;
using ContainerPS.Engine.Errors;

namespace ContainerPS.Engine.Images;

/// <summary>
/// Applies the Dockerfile instructions of `docker import --change` / `docker commit --change`
/// (CMD, ENTRYPOINT, ENV, EXPOSE, HEALTHCHECK, LABEL, ONBUILD, STOPSIGNAL, USER, VOLUME,
/// WORKDIR) to an image config. There is one Dockerfile syntax in the code base: the change is
/// parsed by <see cref="DockerfileParser"/>, typed by <see cref="InstructionParser"/>, expanded
/// with the config's own ENV (as moby's BuildFromConfig does) and applied by
/// <see cref="ImageConfigEditor"/>. Errors name the change that failed ("InvalidChange").
/// </summary>
public static class ConfigChange
{
    private static readonly string[] Allowed = { "CMD", "ENTRYPOINT", "ENV", "EXPOSE", "HEALTHCHECK", "LABEL", "ONBUILD", "STOPSIGNAL", "USER", "VOLUME", "WORKDIR" };

    /// <exception cref="InvalidArgumentException">"InvalidChange": not an allowed instruction, or malformed.</exception>
    public static void Apply(ContainerConfig config, string change)
    {
        var editor = new ImageConfigEditor(config);
        Apply(editor, change);
    }

    /// <summary>Applies several changes in order (ENTRYPOINT clears CMD unless a CMD change came first, as in Docker).</summary>
    /// <exception cref="InvalidArgumentException">"InvalidChange".</exception>
    public static void ApplyAll(ContainerConfig config, IEnumerable<string> changes)
    {
        var editor = new ImageConfigEditor(config);
        foreach (var change in changes) Apply(editor, change);
    }

    private static void Apply(ImageConfigEditor editor, string change)
    {
        try
        {
            var node = DockerfileParser.ParseLine(change);
            var keyword = node.Name;
            if (!Allowed.Contains(keyword))
                throw Invalid(change, $"{keyword} is not a valid change command (allowed: {string.Join(", ", Allowed)})");
            var instruction = InstructionParser.Parse(node, "--change");
            if (instruction.IsExpanded)
            {
                var env = editor.Config.Env ?? new List<string>();
                string? Lookup(string name)
                {
                    for (var i = env.Count - 1; i >= 0; i--)
                        if (env[i].StartsWith(name + "=", StringComparison.Ordinal)) return env[i][(name.Length + 1)..];
                    return null;
                }
                instruction = instruction.Expand(new WordExpander('\\', Lookup));
            }
            editor.Apply(instruction);
        }
        catch (DockerfileParseException e)
        {
            throw Invalid(change, e.Reason, e);
        }
        catch (ShellSyntaxException e)
        {
            throw Invalid(change, e.Message, e);
        }
        catch (InstructionParseException e)
        {
            throw Invalid(change, e.Message, e);
        }
    }

    private static InvalidArgumentException Invalid(string change, string why, Exception? inner = null) =>
        new("InvalidChange", $"invalid change \"{change}\": {why}", change, inner);
}
