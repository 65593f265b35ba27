namespace ContainerPS.Engine.Errors;

/// <summary>
/// Base of every exception the engine throws on purpose. Carries a <see cref="Kind"/> and a
/// stable <see cref="ErrorId"/> (used as the PowerShell ErrorId) plus the object that failed.
/// </summary>
public class EngineException : Exception
{
    public EngineException(ErrorKind kind, string errorId, string message, object? target = null, Exception? inner = null)
        : base(message, inner)
    {
        Kind = kind;
        ErrorId = errorId;
        Target = target;
    }

    public ErrorKind Kind { get; }

    /// <summary>Stable identifier, e.g. "ImageNotFound"; never localised.</summary>
    public string ErrorId { get; }

    /// <summary>The name, path or object the operation failed on.</summary>
    public object? Target { get; }
}
