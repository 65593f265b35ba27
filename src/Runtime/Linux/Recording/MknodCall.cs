namespace ContainerPS.Runtime.Linux.Recording;

/// <summary>A recorded mknod(2); rendered "mknod /dev/null c 1:3 0666".</summary>
public sealed record MknodCall(string Path, uint Mode, ulong Device) : SyscallRecord
{
    public uint Major => (uint)(((Device >> 32) & 0xfffff000) | ((Device >> 8) & 0xfff));

    public uint Minor => (uint)(((Device >> 12) & 0xffffff00) | (Device & 0xff));

    public override string ToString()
    {
        var kind = (Mode & FileStat.S_IFMT) switch
        {
            FileStat.S_IFCHR => "c",
            FileStat.S_IFBLK => "b",
            FileStat.S_IFIFO => "p",
            _ => "?",
        };
        return $"mknod {Path} {kind} {Major}:{Minor} {Convert.ToString(Mode & 0xFFF, 8).PadLeft(4, '0')}";
    }
}
