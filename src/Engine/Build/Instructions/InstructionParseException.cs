namespace ContainerPS.Engine.Build.Instructions;

/// <summary>An instruction that is syntactically wrong; the caller adds file and line.</summary>
public sealed class InstructionParseException : Exception
{
    public InstructionParseException(string message) : base(message) { }
}
