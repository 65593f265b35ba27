namespace ContainerPS.Runtime.Linux;

/// <summary>The fields of stat(2)/lstat(2) the init uses. <see cref="Mode"/> is the full st_mode.</summary>
public readonly record struct FileStat(uint Mode, uint Uid, uint Gid, ulong RDevice)
{
    public const uint S_IFMT = 0xF000, S_IFSOCK = 0xC000, S_IFLNK = 0xA000, S_IFREG = 0x8000,
        S_IFBLK = 0x6000, S_IFDIR = 0x4000, S_IFCHR = 0x2000, S_IFIFO = 0x1000;

    public uint Type => Mode & S_IFMT;
    public uint Permissions => Mode & 0xFFF;
    public bool IsDirectory => Type == S_IFDIR;
    public bool IsSymbolicLink => Type == S_IFLNK;
    public bool IsRegularFile => Type == S_IFREG;

    public static FileStat Directory(uint perm = 0x1ED) => new(S_IFDIR | perm, 0, 0, 0);
    public static FileStat RegularFile(uint perm = 0x1A4) => new(S_IFREG | perm, 0, 0, 0);
    public static FileStat Symlink() => new(S_IFLNK | 0x1FF, 0, 0, 0);
}
