namespace ContainerPS.Runtime.Linux.Recording;

/// <summary>A recorded pivot_root(2).</summary>
public sealed record PivotRootCall(string NewRoot, string PutOld) : SyscallRecord
{
    public override string ToString() => $"pivot_root {NewRoot} {PutOld}";
}
