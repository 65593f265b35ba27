namespace ContainerPS.Engine.Errors;

/// <summary>
/// An archive (image tarball, layer tar, rootfs tar) is malformed or unsafe. Names the
/// archive and, where known, the entry that was rejected.
/// </summary>
public class ArchiveException : EngineException
{
    public ArchiveException(string errorId, string message, string? archive = null, string? entry = null, Exception? inner = null)
        : base(ErrorKind.InvalidArgument, errorId, message, entry ?? archive, inner)
    {
        Archive = archive;
        Entry = entry;
    }

    public string? Archive { get; }
    public string? Entry { get; }
}
