using ContainerPS.Engine.Build.Expansion;
using ContainerPS.Engine.Build.Instructions;
using ContainerPS.Engine.Errors;

namespace ContainerPS.Engine.Build.Stages;

/// <summary>
/// The variables of one stage while it is built: the base image's ENV plus ENV instructions,
/// and the ARGs declared in the stage (value from -BuildArg, else the default, else the global
/// ARG of the same name). Between ARG and ENV of the same name the later assignment wins
/// (BuildKit: `ENV X` after `ARG X` overrides it, an `ARG X=…` after an inherited `ENV X` overrides
/// that for the build but not in the image config). Feed every
/// instruction through <see cref="Apply"/> in order: it returns the expanded instruction and
/// records ARG/ENV effects.
/// </summary>
public sealed class StageScope
{
    private readonly GlobalScope _global;
    private readonly List<KeyValuePair<string, string>> _env = new();
    private readonly List<KeyValuePair<string, string>> _args = new();
    private readonly List<KeyValuePair<string, string>> _state = new();   // ENV and ARG, last assignment wins

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

    /// <summary>A variable's value as expansion sees it (the last ENV or valued ARG of that name); null when unset.</summary>
    public string? Lookup(string name)
    {
        var i = _state.FindIndex(p => p.Key == name);
        return i < 0 ? null : _state[i].Value;
    }

    /// <summary>The environment a RUN step gets: undeclared proxy args, then ENV and ARG values (last assignment wins).</summary>
    public IReadOnlyList<string> RunEnvironment() =>
        ProxyArgs.Where(p => _state.All(s => s.Key != p.Key)).Concat(_state).Select(p => p.Key + "=" + p.Value).ToList();

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
                Set(_args, decl.Key, value);
                Set(_state, decl.Key, value);
            }
        }
        return arg with { Args = resolved };
    }

    private void SetEnv(string key, string value)
    {
        Set(_env, key, value);
        Set(_state, key, value);
    }

    private static void Set(List<KeyValuePair<string, string>> list, string key, string value)
    {
        var i = list.FindIndex(p => p.Key == key);
        if (i >= 0) list[i] = new(key, value);
        else list.Add(new(key, value));
    }
}
