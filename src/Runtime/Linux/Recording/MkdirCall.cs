namespace ContainerPS.Runtime.Linux.Recording;

/// <summary>A recorded mkdir(2).</summary>
public sealed record MkdirCall(string Path, uint Mode) : SyscallRecord
{
    public override string ToString() => $"mkdir {Path} {Convert.ToString(Mode, 8)}";
}
