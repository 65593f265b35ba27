using System.Management.Automation;
using ContainerPS.Engine.Errors;

namespace ContainerPS.Module.Infrastructure;

/// <summary>
/// Turns engine (and the few framework) exceptions into ErrorRecords with a specific
/// ErrorId and category. Never <see cref="ErrorCategory.NotSpecified"/>: a script must be
/// able to tell "not found" from "in use" from "bad input" without parsing messages.
/// </summary>
public static class ErrorMapping
{
    private const int EPERM = 1;
    private const int EACCES = 13;

    /// <summary>The category of an engine error kind.</summary>
    public static ErrorCategory CategoryOf(ErrorKind kind) => kind switch
    {
        ErrorKind.NotFound => ErrorCategory.ObjectNotFound,
        ErrorKind.AlreadyExists => ErrorCategory.ResourceExists,
        ErrorKind.Conflict => ErrorCategory.InvalidOperation,
        ErrorKind.FailedPrecondition => ErrorCategory.InvalidOperation,
        ErrorKind.InvalidArgument => ErrorCategory.InvalidArgument,
        ErrorKind.ParseError => ErrorCategory.ParserError,
        ErrorKind.Unauthenticated => ErrorCategory.AuthenticationError,
        ErrorKind.Unavailable => ErrorCategory.ConnectionError,
        ErrorKind.Cancelled => ErrorCategory.OperationStopped,
        // Unknown/Internal: the engine failed in a way the caller cannot fix by changing
        // input; InvalidResult says "the operation did not produce a valid result".
        _ => ErrorCategory.InvalidResult,
    };

    /// <summary>The category of any exception a cmdlet reports.</summary>
    public static ErrorCategory CategoryOf(Exception exception) => exception switch
    {
        SyscallException { Errno: EPERM or EACCES } => ErrorCategory.PermissionDenied,
        EngineException engine => CategoryOf(engine.Kind),
        OperationCanceledException => ErrorCategory.OperationStopped,
        ItemNotFoundException => ErrorCategory.ObjectNotFound,
        FileNotFoundException or DirectoryNotFoundException => ErrorCategory.ObjectNotFound,
        UnauthorizedAccessException => ErrorCategory.PermissionDenied,
        PathTooLongException => ErrorCategory.InvalidArgument,
        IOException => ErrorCategory.WriteError,
        ArgumentException => ErrorCategory.InvalidArgument,
        NotSupportedException => ErrorCategory.NotImplemented,
        _ => ErrorCategory.InvalidResult,
    };

    /// <summary>A stable ErrorId: the engine's own, else one per exception type.</summary>
    public static string ErrorIdOf(Exception exception) => exception switch
    {
        EngineException engine => engine.ErrorId,
        OperationCanceledException => "OperationCancelled",
        ItemNotFoundException => "PathNotFound",
        FileNotFoundException => "FileNotFound",
        DirectoryNotFoundException => "DirectoryNotFound",
        UnauthorizedAccessException => "AccessDenied",
        _ => exception.GetType().Name.EndsWith("Exception", StringComparison.Ordinal)
            ? exception.GetType().Name[..^"Exception".Length]
            : exception.GetType().Name,
    };

    /// <summary>
    /// The ErrorRecord for <paramref name="exception"/>. The target is the object the user
    /// handed in (an Image, a reference string, a path); the engine's own target is the
    /// fallback when the cmdlet has none.
    /// </summary>
    public static ErrorRecord ToErrorRecord(Exception exception, object? target)
    {
        var engineTarget = (exception as EngineException)?.Target;
        return new ErrorRecord(exception, ErrorIdOf(exception), CategoryOf(exception), target ?? engineTarget);
    }

    /// <summary>True for exceptions a cmdlet reports as an error record rather than a crash.</summary>
    public static bool IsReportable(Exception exception) => exception is
        EngineException or OperationCanceledException or IOException or UnauthorizedAccessException
        or ItemNotFoundException or System.Text.Json.JsonException or InvalidDataException;
}
