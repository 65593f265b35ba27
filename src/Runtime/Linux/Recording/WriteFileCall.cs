namespace ContainerPS.Runtime.Linux.Recording;

/// <summary>A recorded a write of a whole file (/proc knobs).</summary>
public sealed record WriteFileCall(string Path, string Content) : SyscallRecord
{
    public override string ToString() => $"write {Path} {Content}";
}
