namespace ContainerPS.Runtime.Linux.Recording;

/// <summary>A recorded unlink(2).</summary>
public sealed record UnlinkCall(string Path) : SyscallRecord
{
    public override string ToString() => $"unlink {Path}";
}
