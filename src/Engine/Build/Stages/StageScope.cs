using ContainerPS.Engine.Build.Expansion;
using ContainerPS.Engine.Build.Instructions;
using ContainerPS.Engine.Errors;

namespace ContainerPS.Engine.Build.Stages;

/// <summary>
/// The variables of one stage while it is built: the base image's ENV plus ENV instructions,
/// and the ARGs declared in the stage (value from -BuildArg, else the default, else the global
/// ARG of the same name). ENV wins over an ARG of the same name, as Docker documents. Feed every
/// instruction through <see cref="Apply"/> in order: it returns the expanded instruction and
/// records ARG/ENV effects.
/// </summary>
public sealed class StageScope
{
    private readonly GlobalScope _global;
    private readonly List<KeyValuePair<string, string>> _env = new();
    private readonly List<KeyValuePair<string, string>> _args = new();

    internal StageScope(GlobalScope global, BuildStage stage, IEnumerable<string>? baseImageEnv)
    {
        _global = global;
        Stage = stage;
        foreach (var e in baseImageEnv ?? Array.Empty<string>())
        {
            var eq = e.IndexOf('=');
            SetEnv(eq < 0 ? e : e[..eq], eq < 0 ? "" : e[(eq + 1)..]);
        }
    }

    public BuildStage Stage { get; }

    /// <summary>The stage's environment in order (base image ENV, then ENV instructions): the image config's Env.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Environment => _env;

    /// <summary>Env as "K=V" strings, for the image config.</summary>
    public IReadOnlyList<string> EnvironmentList => _env.Select(p => p.Key + "=" + p.Value).ToList();

    /// <summary>ARGs declared so far that have a value, in declaration order (RUN's history "|N k=v …" and cache key).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Args => _args;

    /// <summary>Proxy build arguments given by the user and not declared: RUN gets them, history does not.</summary>
    public IReadOnlyDictionary<string, string> ProxyArgs =>
        _global.BuildArgs.Where(p => PredefinedArgs.IsProxy(p.Key) && _args.All(a => a.Key != p.Key))
            .ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);

    /// <summary>A variable's value as expansion sees it: ENV first, then declared ARGs; null when unset.</summary>
    public string? Lookup(string name)
    {
        for (var i = _env.Count - 1; i >= 0; i--) if (_env[i].Key == name) return _env[i].Value;
        for (var i = _args.Count - 1; i >= 0; i--) if (_args[i].Key == name) return _args[i].Value;
        return null;
    }

    /// <summary>The environment a RUN step gets: proxy args, declared ARGs, then ENV (ENV wins).</summary>
    public IReadOnlyList<string> RunEnvironment()
    {
        var merged = new List<KeyValuePair<string, string>>();
        void Set(string k, string v)
        {
            var i = merged.FindIndex(p => p.Key == k);
            if (i >= 0) merged[i] = new(k, v);
            else merged.Add(new(k, v));
        }
        foreach (var (k, v) in ProxyArgs) Set(k, v);
        foreach (var (k, v) in _args) Set(k, v);
        foreach (var (k, v) in _env) Set(k, v);
        return merged.Select(p => p.Key + "=" + p.Value).ToList();
    }

    /// <summary>A word expander over this scope's current variables.</summary>
    public WordExpander Expander => new(_global.Dockerfile.EscapeToken, Lookup);

    /// <summary>
    /// Expands <paramref name="instruction"/> (if Docker expands it) against the current
    /// variables and applies ARG and ENV to the scope. For ARG the result carries the effective
    /// values (null = declared without a value).
    /// </summary>
    /// <exception cref="DockerfileParseException">bad substitution, naming the file and line.</exception>
    public Instruction Apply(Instruction instruction)
    {
        switch (instruction)
        {
            case ArgInstruction arg:
                return DeclareArgs(arg);
            case EnvInstruction env:
            {
                var expanded = (EnvInstruction)_global.Wrap(env, () => env.Expand(Expander));
                foreach (var v in expanded.Variables) SetEnv(v.Key, v.Value);
                return expanded;
            }
            case FromInstruction from:
                return _global.ExpandFrom(from);
            default:
                return instruction.IsExpanded ? _global.Wrap(instruction, () => instruction.Expand(Expander)) : instruction;
        }
    }

    /// <summary>Expands without changing the scope (for looking ahead, e.g. COPY --from in the stage graph).</summary>
    /// <exception cref="DockerfileParseException">bad substitution.</exception>
    public Instruction Expand(Instruction instruction) =>
        instruction is FromInstruction from ? _global.ExpandFrom(from)
        : instruction.IsExpanded ? _global.Wrap(instruction, () => instruction.Expand(Expander)) : instruction;

    private ArgInstruction DeclareArgs(ArgInstruction arg)
    {
        var resolved = new List<ArgDeclaration>();
        foreach (var decl in arg.Args)
        {
            string? value;
            if (_global.BuildArgs.TryGetValue(decl.Key, out var given))
            {
                value = given;
                _global.Consume(decl.Key);
            }
            else if (decl.Value is not null)
            {
                value = _global.Wrap(arg, () => Expander.Word(decl.Value));
            }
            else if (_global.MetaArgs.TryGetValue(decl.Key, out var meta))
            {
                value = meta;
            }
            else
            {
                value = _global.PlatformArgs.TryGetValue(decl.Key, out var p) ? p : null;
            }
            resolved.Add(new ArgDeclaration(decl.Key, value));
            if (value is not null)
            {
                var i = _args.FindIndex(a => a.Key == decl.Key);
                if (i >= 0) _args[i] = new(decl.Key, value);
                else _args.Add(new(decl.Key, value));
            }
        }
        return arg with { Args = resolved };
    }

    private void SetEnv(string key, string value)
    {
        var i = _env.FindIndex(p => p.Key == key);
        if (i >= 0) _env[i] = new(key, value);
        else _env.Add(new(key, value));
    }
}
