namespace ContainerPS.Runtime.Linux.Recording;

/// <summary>A recorded lchown(2).</summary>
public sealed record LchownCall(string Path, uint Uid, uint Gid) : SyscallRecord
{
    public override string ToString() => $"lchown {Path} {Uid}:{Gid}";
}
