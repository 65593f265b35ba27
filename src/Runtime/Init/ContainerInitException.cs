namespace ContainerPS.Runtime.Init;

/// <summary>
/// The container init could not set up the container. The message says what was being done
/// and why it failed; a kernel refusal is the <see cref="Exception.InnerException"/>
/// (a <see cref="Linux.SyscallError"/> with the call, target and errno).
/// </summary>
public sealed class ContainerInitException : Exception
{
    public ContainerInitException(string message) : base(message) { }

    public ContainerInitException(string message, Exception inner) : base(message, inner) { }

    /// <summary>errno of the underlying kernel failure, when there is one.</summary>
    public int? Errno => (InnerException as Linux.SyscallError)?.Errno;
}
