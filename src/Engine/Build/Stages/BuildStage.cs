using ContainerPS.Engine.Build.Instructions;

namespace ContainerPS.Engine.Build.Stages;

/// <summary>One `FROM … [AS name]` and the instructions up to the next FROM.</summary>
public sealed class BuildStage
{
    public BuildStage(int index, FromInstruction from, IReadOnlyList<Instruction> instructions)
    {
        Index = index;
        From = from;
        Instructions = instructions;
    }

    /// <summary>0-based position in the file (what `COPY --from=0` names).</summary>
    public int Index { get; }

    /// <summary>The lower-cased `AS` name, or null.</summary>
    public string? Name => From.StageName;

    public FromInstruction From { get; }

    /// <summary>The instructions after FROM, unexpanded.</summary>
    public IReadOnlyList<Instruction> Instructions { get; }

    /// <summary>The name, else the index as text: how Docker refers to the stage.</summary>
    public string DisplayName => Name ?? Index.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public override string ToString() => $"stage {DisplayName}: {From.Original}";
}
