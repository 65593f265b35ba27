namespace ContainerPS.Engine.Images;

/// <summary>The "{}" values of ExposedPorts and Volumes maps.</summary>
public sealed class EmptyObject
{
    public static readonly EmptyObject Instance = new();
}
