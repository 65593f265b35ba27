namespace ContainerPS.Engine.Errors;

/// <summary>Content did not hash to the digest (or size) it was announced with.</summary>
public class DigestMismatchException : EngineException
{
    public DigestMismatchException(string expected, string actual, string? what = null)
        : base(ErrorKind.InvalidArgument, "DigestMismatch",
            $"{(what is null ? "content" : what)}: expected digest {expected}, got {actual}", what)
    {
        Expected = expected;
        Actual = actual;
    }

    public string Expected { get; }
    public string Actual { get; }
}
