namespace ContainerPS.Runtime.Linux.Recording;

/// <summary>A recorded mount(2).</summary>
public sealed record MountCall(string? Source, string Target, string? FsType, ulong Flags, string? Data) : SyscallRecord
{
    public override string ToString() => $"mount {Source ?? "none"} {Target} {FsType ?? "none"} {MountFlags.Format(Flags)}{(string.IsNullOrEmpty(Data) ? "" : " " + Data)}";
}
