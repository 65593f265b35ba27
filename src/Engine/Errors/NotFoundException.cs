namespace ContainerPS.Engine.Errors;

/// <summary>An object (image, container, blob, layer...) does not exist.</summary>
public class NotFoundException : EngineException
{
    public NotFoundException(string errorId, string message, object? target = null)
        : base(ErrorKind.NotFound, errorId, message, target) { }
}
