using ContainerPS.Engine.Build.Expansion;

namespace ContainerPS.Engine.Build.Instructions;

/// <summary>EXPOSE port[/proto] …: each word is expanded and may split into several ports.</summary>
public sealed record ExposeInstruction : Instruction
{
    public override string Name => "EXPOSE";
    public required IReadOnlyList<string> Ports { get; init; }
    public override bool IsExpanded => true;

    /// <exception cref="InstructionParseException">a word that is not a port spec once expanded ("invalid containerPort: x").</exception>
    public override Instruction Expand(WordExpander expander)
    {
        var ports = Ports.SelectMany(expander.Words).ToList();
        foreach (var p in ports) ImageConfigEditor.PortSpecs(p);   // Docker checks them after expansion
        return this with { Ports = ports };
    }
}
