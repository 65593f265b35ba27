namespace ContainerPS.Runtime.Linux.Recording;

/// <summary>A recorded setrlimit(2).</summary>
public sealed record SetrlimitCall(int Resource, ulong Soft, ulong Hard) : SyscallRecord
{
    public override string ToString() => $"setrlimit {RlimitResources.Name(Resource)} {Soft} {Hard}";
}
