namespace ContainerPS.Runtime.Linux.Recording;

/// <summary>A recorded umask(2).</summary>
public sealed record UmaskCall(uint Mask) : SyscallRecord
{
    public override string ToString() => $"umask {Convert.ToString(Mask, 8)}";
}
