namespace ContainerPS.Runtime.Linux.Recording;

/// <summary>A recorded capset(2).</summary>
public sealed record CapsetCall(CapabilitySets Sets) : SyscallRecord
{
    public override string ToString() => $"capset {Sets}";
}
