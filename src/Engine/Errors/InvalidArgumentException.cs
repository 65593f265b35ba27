namespace ContainerPS.Engine.Errors;

/// <summary>Input the user gave (a reference, an option, a file) is malformed.</summary>
public class InvalidArgumentException : EngineException
{
    public InvalidArgumentException(string errorId, string message, object? target = null, Exception? inner = null)
        : base(ErrorKind.InvalidArgument, errorId, message, target, inner) { }
}
