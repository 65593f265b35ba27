namespace ContainerPS.Engine.Build.Instructions;

/// <summary>
/// Parses an instruction's `--flags` against the flags it accepts (BuildKit's BFlags): string
/// flags need "=value", bool flags take none or true/false, list flags may repeat. Errors use
/// BuildKit's words ("unknown flag: foo").
/// </summary>
internal sealed class InstructionFlags
{
    private enum Kind { String, Bool, List }

    private readonly Dictionary<string, Kind> _defined = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<string>> _lists = new(StringComparer.Ordinal);
    private readonly IReadOnlyList<string> _args;

    public InstructionFlags(IReadOnlyList<string> args) => _args = args;

    public InstructionFlags String(params string[] names) => Define(Kind.String, names);
    public InstructionFlags Bool(params string[] names) => Define(Kind.Bool, names);
    public InstructionFlags List(params string[] names) => Define(Kind.List, names);

    private InstructionFlags Define(Kind kind, string[] names)
    {
        foreach (var n in names) _defined[n] = kind;
        return this;
    }

    /// <exception cref="InstructionParseException">unknown, duplicate or malformed flags.</exception>
    public InstructionFlags Parse()
    {
        foreach (var raw in _args)
        {
            if (!raw.StartsWith("--", StringComparison.Ordinal)) throw new InstructionParseException($"arg should start with -- : {raw}");
            if (raw == "--") break;
            var arg = raw[2..];
            string? value = null;
            var eq = arg.IndexOf('=');
            if (eq >= 0)
            {
                value = arg[(eq + 1)..];
                arg = arg[..eq];
            }
            if (!_defined.TryGetValue(arg, out var kind)) throw new InstructionParseException($"unknown flag: {arg}");
            if (kind != Kind.List && _values.ContainsKey(arg)) throw new InstructionParseException($"duplicate flag specified: {arg}");
            switch (kind)
            {
                case Kind.Bool:
                    if (eq >= 0 && value!.Length == 0) throw new InstructionParseException($"missing a value on flag: {arg}");
                    var lower = (value ?? "").ToLowerInvariant();
                    if (lower.Length == 0) _values[arg] = "true";
                    else if (lower is "true" or "false") _values[arg] = lower;
                    else throw new InstructionParseException($"expecting boolean value for flag {arg}, not: {value}");
                    break;
                case Kind.String:
                    _values[arg] = value ?? throw new InstructionParseException($"missing a value on flag: {arg}");
                    break;
                case Kind.List:
                    if (value is null) throw new InstructionParseException($"missing a value on flag: {arg}");
                    if (!_lists.TryGetValue(arg, out var list)) _lists[arg] = list = new List<string>();
                    list.Add(value);
                    break;
            }
        }
        return this;
    }

    public string? Get(string name) => _values.TryGetValue(name, out var v) ? v : null;
    public bool IsSet(string name) => _values.ContainsKey(name) || _lists.ContainsKey(name);
    public bool GetBool(string name) => Get(name) == "true";
    public IReadOnlyList<string> GetList(string name) => _lists.TryGetValue(name, out var l) ? l : Array.Empty<string>();
}
