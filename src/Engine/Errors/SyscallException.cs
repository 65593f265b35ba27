namespace ContainerPS.Engine.Errors;

/// <summary>
/// A system call failed. The message names the call, the object and errno
/// ("mount overlay on /var/lib/containerps/...: EINVAL (Invalid argument)").
/// </summary>
public class SyscallException : EngineException
{
    public SyscallException(string call, string? path, int errno, string? detail = null)
        : base(KindOf(errno), "SyscallFailed", Format(call, path, errno, detail), path)
    {
        Call = call;
        Path = path;
        Errno = errno;
    }

    public string Call { get; }
    public string? Path { get; }
    public int Errno { get; }

    private static ErrorKind KindOf(int errno) => errno switch
    {
        2 => ErrorKind.NotFound,        // ENOENT
        17 => ErrorKind.AlreadyExists,  // EEXIST
        16 => ErrorKind.Conflict,       // EBUSY
        22 => ErrorKind.InvalidArgument,// EINVAL
        _ => ErrorKind.Internal,
    };

    private static string Format(string call, string? path, int errno, string? detail)
    {
        var what = detail is null ? call : $"{call} {detail}";
        var where = path is null ? "" : $" {path}";
        return $"{what}{where}: {Interop.Errno.Name(errno)} ({Interop.Errno.Describe(errno)})";
    }
}
