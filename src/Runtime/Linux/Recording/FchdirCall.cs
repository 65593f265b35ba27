namespace ContainerPS.Runtime.Linux.Recording;

/// <summary>A recorded fchdir(2); <see cref="Path"/> is what the descriptor was opened on, when known.</summary>
public sealed record FchdirCall(int Fd, string? Path) : SyscallRecord
{
    public override string ToString() => $"fchdir {Path ?? "fd " + Fd}";
}
