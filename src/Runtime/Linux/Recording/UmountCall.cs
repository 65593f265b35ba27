namespace ContainerPS.Runtime.Linux.Recording;

/// <summary>A recorded umount2(2).</summary>
public sealed record UmountCall(string Target, int Flags) : SyscallRecord
{
    public override string ToString() => $"umount2 {Target} {(Flags == MountFlags.MNT_DETACH ? "MNT_DETACH" : Flags.ToString())}";
}
