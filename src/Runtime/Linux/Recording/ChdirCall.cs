namespace ContainerPS.Runtime.Linux.Recording;

/// <summary>A recorded chdir(2).</summary>
public sealed record ChdirCall(string Path) : SyscallRecord
{
    public override string ToString() => $"chdir {Path}";
}
