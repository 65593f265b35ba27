namespace ContainerPS.Runtime.Linux.Recording;

/// <summary>A recorded close(2).</summary>
public sealed record CloseCall(int Fd) : SyscallRecord
{
    public override string ToString() => $"close {Fd}";
}
