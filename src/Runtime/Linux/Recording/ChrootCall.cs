namespace ContainerPS.Runtime.Linux.Recording;

/// <summary>A recorded chroot(2).</summary>
public sealed record ChrootCall(string Path) : SyscallRecord
{
    public override string ToString() => $"chroot {Path}";
}
