namespace ContainerPS.Engine.Errors;

/// <summary>The operation conflicts with the current state (image in use, name taken...).</summary>
public class ConflictException : EngineException
{
    public ConflictException(string errorId, string message, object? target = null, ErrorKind kind = ErrorKind.Conflict)
        : base(kind, errorId, message, target) { }
}
