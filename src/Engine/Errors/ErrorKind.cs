namespace ContainerPS.Engine.Errors;

/// <summary>
/// What kind of failure an engine exception reports. The module maps each kind to an
/// ErrorCategory; the names follow containerd/gRPC status codes so the mapping is obvious.
/// </summary>
public enum ErrorKind
{
    Unknown,
    NotFound,
    AlreadyExists,
    Conflict,
    InvalidArgument,
    FailedPrecondition,
    ParseError,
    Unauthenticated,
    Unavailable,
    Cancelled,
    Internal,
}
