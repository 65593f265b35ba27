namespace ContainerPS.Engine.Build.Instructions;

/// <summary>One `key=value` of ENV or LABEL.</summary>
public sealed record KeyValue(string Key, string Value)
{
    public override string ToString() => Key + "=" + Value;
}
