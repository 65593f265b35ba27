namespace ContainerPS.Runtime.Linux.Recording;

/// <summary>A recorded setresgid(2).</summary>
public sealed record SetresgidCall(uint Rgid, uint Egid, uint Sgid) : SyscallRecord
{
    public override string ToString() => $"setresgid {Rgid} {Egid} {Sgid}";
}
