namespace ContainerPS.Runtime.Linux.Recording;

/// <summary>A recorded setgroups(2).</summary>
public sealed record SetgroupsCall(IReadOnlyList<uint> Gids) : SyscallRecord
{
    public override string ToString() => $"setgroups [{string.Join(' ', Gids)}]";
}
