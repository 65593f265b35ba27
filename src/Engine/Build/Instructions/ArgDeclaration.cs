namespace ContainerPS.Engine.Build.Instructions;

/// <summary>One name of an ARG instruction, with its default (null when there is none).</summary>
public sealed record ArgDeclaration(string Key, string? Value)
{
    public override string ToString() => Value is null ? Key : Key + "=" + Value;
}
