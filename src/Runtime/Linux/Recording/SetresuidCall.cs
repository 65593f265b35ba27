namespace ContainerPS.Runtime.Linux.Recording;

/// <summary>A recorded setresuid(2).</summary>
public sealed record SetresuidCall(uint Ruid, uint Euid, uint Suid) : SyscallRecord
{
    public override string ToString() => $"setresuid {Ruid} {Euid} {Suid}";
}
