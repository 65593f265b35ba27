namespace ContainerPS.Runtime.Linux.Recording;

/// <summary>A recorded open(2), with the descriptor handed out.</summary>
public sealed record OpenCall(string Path, int Flags, int Fd) : SyscallRecord
{
    public override string ToString() => $"open {Path}";
}
