using ContainerPS.Engine.Build.Expansion;
using ContainerPS.Engine.Build.Instructions;
using ContainerPS.Engine.Errors;

namespace ContainerPS.Engine.Build.Stages;

/// <summary>
/// The global scope of one build: build arguments given by the user, the ARGs before the first
/// FROM resolved in order (a --build-arg overrides a default; a default may use earlier ones),
/// and BuildKit's automatic platform args. FROM lines are expanded here, and only here; a stage
/// must re-declare a global ARG (`ARG VERSION`) to see it (<see cref="BeginStage"/>).
/// </summary>
public sealed class GlobalScope
{
    private readonly Dictionary<string, string?> _meta = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);
    private readonly HashSet<string> _consumed = new(StringComparer.Ordinal);

    private GlobalScope(Dockerfile dockerfile, IReadOnlyDictionary<string, string> buildArgs, BuildPlatform target, BuildPlatform build)
    {
        Dockerfile = dockerfile;
        BuildArgs = buildArgs;
        TargetPlatform = target;
        Platform = build;
        PlatformArgs = PredefinedArgs.Platform(target, build);
        foreach (var (k, v) in PlatformArgs) _values[k] = v;
    }

    public Dockerfile Dockerfile { get; }

    /// <summary>The user's build arguments (-BuildArg), as given.</summary>
    public IReadOnlyDictionary<string, string> BuildArgs { get; }

    public BuildPlatform TargetPlatform { get; }
    public BuildPlatform Platform { get; }
    public IReadOnlyDictionary<string, string> PlatformArgs { get; }

    /// <summary>Global ARGs by name: the resolved value, or null when declared without one.</summary>
    public IReadOnlyDictionary<string, string?> MetaArgs => _meta;

    /// <summary>What FROM lines are expanded with: platform args and global ARGs that have a value.</summary>
    public IReadOnlyDictionary<string, string> Values => _values;

    /// <summary>Resolves the Dockerfile's global ARGs.</summary>
    /// <exception cref="DockerfileParseException">a default that cannot be expanded.</exception>
    public static GlobalScope Create(Dockerfile dockerfile, IReadOnlyDictionary<string, string>? buildArgs = null,
        BuildPlatform? targetPlatform = null, BuildPlatform? buildPlatform = null)
    {
        var scope = new GlobalScope(dockerfile, buildArgs ?? new Dictionary<string, string>(),
            targetPlatform ?? BuildPlatform.Host, buildPlatform ?? BuildPlatform.Host);
        foreach (var arg in dockerfile.MetaArgs)
        {
            foreach (var decl in arg.Args)
            {
                string? value;
                if (scope.BuildArgs.TryGetValue(decl.Key, out var given))
                {
                    value = given;
                    scope._consumed.Add(decl.Key);
                }
                else if (decl.Value is not null) value = scope.ExpandWord(decl.Value, arg);
                else value = scope.PlatformArgs.TryGetValue(decl.Key, out var p) ? p : null;
                scope._meta[decl.Key] = value;
                if (value is null) scope._values.Remove(decl.Key);
                else scope._values[decl.Key] = value;
            }
        }
        return scope;
    }

    /// <summary>The FROM line with base name and --platform expanded by the global scope.</summary>
    /// <exception cref="DockerfileParseException">bad substitution, or a base name that expands to "".</exception>
    public FromInstruction ExpandFrom(FromInstruction from)
    {
        var expanded = (FromInstruction)Wrap(from, () => from.Expand(new WordExpander(Dockerfile.EscapeToken, k => Lookup(k))));
        if (expanded.BaseName.Length == 0)
            throw new DockerfileParseException(Dockerfile.File, from.StartLine, from.EndLine,
                $"base name ({from.BaseName}) should not be blank");
        return expanded;
    }

    /// <summary>Starts a stage's scope; <paramref name="baseImageEnv"/> is the base image's Env ("K=V").</summary>
    public StageScope BeginStage(BuildStage stage, IEnumerable<string>? baseImageEnv = null) => new(this, stage, baseImageEnv);

    /// <summary>Build arguments no ARG consumed (Docker warns: "One or more build-args [x] were not consumed").</summary>
    public IReadOnlyList<string> UnconsumedBuildArgs() =>
        BuildArgs.Keys.Where(k => !_consumed.Contains(k) && !PredefinedArgs.IsProxy(k)).OrderBy(k => k, StringComparer.Ordinal).ToList();

    internal void Consume(string key) => _consumed.Add(key);

    private string? Lookup(string key) => _values.TryGetValue(key, out var v) ? v : null;

    private string ExpandWord(string word, Instruction at) =>
        Wrap(at, () => new WordExpander(Dockerfile.EscapeToken, k => Lookup(k)).Word(word));

    internal T Wrap<T>(Instruction at, Func<T> action)
    {
        try
        {
            return action();
        }
        catch (ShellSyntaxException e)
        {
            throw new DockerfileParseException(Dockerfile.File, at.StartLine, at.EndLine, e.Message, e);
        }
        catch (InstructionParseException e)
        {
            throw new DockerfileParseException(Dockerfile.File, at.StartLine, at.EndLine, e.Message, e);
        }
    }
}
