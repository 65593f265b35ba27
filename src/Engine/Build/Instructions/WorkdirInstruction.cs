using ContainerPS.Engine.Build.Expansion;

namespace ContainerPS.Engine.Build.Instructions;

/// <summary>WORKDIR path: expanded; a relative path builds on the previous WORKDIR (see <see cref="Resolve"/>).</summary>
public sealed record WorkdirInstruction : Instruction
{
    public override string Name => "WORKDIR";
    public required string Path { get; init; }
    public override bool IsExpanded => true;
    public override Instruction Expand(WordExpander expander) => this with { Path = expander.Word(Path) };

    /// <summary>The absolute, cleaned working directory after this instruction, given the previous one.</summary>
    public string Resolve(string? previous)
    {
        var combined = Path.StartsWith('/') ? Path : (string.IsNullOrEmpty(previous) ? "/" : previous).TrimEnd('/') + "/" + Path;
        var parts = new List<string>();
        foreach (var p in combined.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (p == ".") continue;
            if (p == "..") { if (parts.Count > 0) parts.RemoveAt(parts.Count - 1); continue; }
            parts.Add(p);
        }
        return "/" + string.Join('/', parts);
    }
}
