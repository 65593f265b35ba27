namespace ContainerPS.Engine.Containers;

/// <summary>One line a container wrote (docker logs), with when and on which stream.</summary>
public sealed record LogLine(DateTimeOffset Time, string Stream, string Text)
{
    public override string ToString() => Text;
}
