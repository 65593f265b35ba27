namespace ContainerPS.Runtime.Linux.Recording;

/// <summary>A recorded sethostname(2).</summary>
public sealed record SethostnameCall(string Name) : SyscallRecord
{
    public override string ToString() => $"sethostname {Name}";
}
