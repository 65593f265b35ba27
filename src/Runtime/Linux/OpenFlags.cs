namespace ContainerPS.Runtime.Linux;

/// <summary>
/// open(2) flags. O_DIRECTORY and O_NOFOLLOW differ between x86_64 (0200000/0400000) and
/// arm64 (040000/0100000), so those two are chosen by the process architecture.
/// </summary>
public static class OpenFlags
{
    public const int O_RDONLY = 0, O_WRONLY = 1, O_RDWR = 2, O_CREAT = 0x40, O_EXCL = 0x80, O_NOCTTY = 0x100,
        O_TRUNC = 0x200, O_CLOEXEC = 0x80000, O_PATH = 0x200000;

    public static int O_DIRECTORY => SyscallNumbers.IsArm64 ? 0x4000 : 0x10000;

    public static int O_NOFOLLOW => SyscallNumbers.IsArm64 ? 0x8000 : 0x20000;
}
