namespace ContainerPS.Engine.Interop;

/// <summary>
/// The fields of lstat(2) the engine uses. <see cref="Mode"/> is the full st_mode (type and
/// permission bits, including setuid/setgid/sticky).
/// </summary>
public readonly record struct FileStatus(
    uint Mode, uint Uid, uint Gid, long Size, ulong Device, ulong Inode, ulong LinkCount, ulong RDevice,
    DateTimeOffset Modified)
{
    public const uint S_IFMT = 0xF000, S_IFSOCK = 0xC000, S_IFLNK = 0xA000, S_IFREG = 0x8000,
        S_IFBLK = 0x6000, S_IFDIR = 0x4000, S_IFCHR = 0x2000, S_IFIFO = 0x1000;

    /// <summary>The S_IF* type bits of <see cref="Mode"/>.</summary>
    public uint Type => Mode & S_IFMT;

    /// <summary>Permission bits including setuid (04000), setgid (02000) and sticky (01000).</summary>
    public uint Permissions => Mode & 0xFFF;

    public bool IsDirectory => Type == S_IFDIR;
    public bool IsSymbolicLink => Type == S_IFLNK;
    public bool IsRegularFile => Type == S_IFREG;
    public bool IsCharacterDevice => Type == S_IFCHR;
    public bool IsBlockDevice => Type == S_IFBLK;
    public bool IsFifo => Type == S_IFIFO;

    /// <summary>major(3) of <see cref="RDevice"/> as glibc decodes it.</summary>
    public uint RDeviceMajor => (uint)(((RDevice >> 32) & 0xfffff000) | ((RDevice >> 8) & 0xfff));

    /// <summary>minor(3) of <see cref="RDevice"/> as glibc decodes it.</summary>
    public uint RDeviceMinor => (uint)(((RDevice >> 12) & 0xffffff00) | (RDevice & 0xff));
}
