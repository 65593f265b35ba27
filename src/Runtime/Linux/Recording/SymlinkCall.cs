namespace ContainerPS.Runtime.Linux.Recording;

/// <summary>A recorded symlink(2).</summary>
public sealed record SymlinkCall(string Target, string LinkPath) : SyscallRecord
{
    public override string ToString() => $"symlink {LinkPath} -> {Target}";
}
