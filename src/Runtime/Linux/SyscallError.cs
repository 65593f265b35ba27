namespace ContainerPS.Runtime.Linux;

/// <summary>
/// A kernel call made by the container init failed. The message names the call, what it
/// acted on and errno, e.g. "mount proc on /proc: EPERM (Operation not permitted)".
/// </summary>
public sealed class SyscallError : Exception
{
    /// <param name="call">The call as it reads in a message: "mount proc on", "pivot_root", "mkdir".</param>
    /// <param name="target">The path or object acted on (may be null for calls without one, like capset).</param>
    /// <param name="errno">The errno the kernel returned.</param>
    public SyscallError(string call, string? target, int errno)
        : base(Format(call, target, errno))
    {
        Call = call;
        Target = target;
        Errno = errno;
    }

    /// <summary>The call, including any qualifier placed before the target ("mount proc on").</summary>
    public string Call { get; }

    /// <summary>The path or object the call acted on, or null.</summary>
    public string? Target { get; }

    /// <summary>errno as returned by the kernel.</summary>
    public int Errno { get; }

    private static string Format(string call, string? target, int errno)
    {
        var where = target is null ? "" : $" {target}";
        return $"{call}{where}: {Linux.Errno.Name(errno)} ({Linux.Errno.Describe(errno)})";
    }
}
