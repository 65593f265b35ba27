using System.Text;

namespace ContainerPS.Runtime.Linux;

/// <summary>
/// mount(2) flags (MS_*) and umount2(2) flags (MNT_*), from &lt;sys/mount.h&gt;; identical on
/// x86_64 and arm64. Checked against the C headers by a unit test.
/// </summary>
public static class MountFlags
{
    public const ulong MS_RDONLY = 1, MS_NOSUID = 2, MS_NODEV = 4, MS_NOEXEC = 8, MS_SYNCHRONOUS = 16,
        MS_REMOUNT = 32, MS_MANDLOCK = 64, MS_DIRSYNC = 128, MS_NOSYMFOLLOW = 256, MS_NOATIME = 1024,
        MS_NODIRATIME = 2048, MS_BIND = 4096, MS_MOVE = 8192, MS_REC = 16384, MS_SILENT = 32768,
        MS_POSIXACL = 1 << 16, MS_UNBINDABLE = 1 << 17, MS_PRIVATE = 1 << 18, MS_SLAVE = 1 << 19,
        MS_SHARED = 1 << 20, MS_RELATIME = 1 << 21, MS_I_VERSION = 1 << 23, MS_STRICTATIME = 1 << 24,
        MS_LAZYTIME = 1 << 25;

    public const int MNT_FORCE = 1, MNT_DETACH = 2, MNT_EXPIRE = 4, UMOUNT_NOFOLLOW = 8;

    private static readonly (ulong Flag, string Name)[] Names =
    [
        (MS_RDONLY, "MS_RDONLY"), (MS_NOSUID, "MS_NOSUID"), (MS_NODEV, "MS_NODEV"), (MS_NOEXEC, "MS_NOEXEC"),
        (MS_SYNCHRONOUS, "MS_SYNCHRONOUS"), (MS_REMOUNT, "MS_REMOUNT"), (MS_MANDLOCK, "MS_MANDLOCK"),
        (MS_DIRSYNC, "MS_DIRSYNC"), (MS_NOSYMFOLLOW, "MS_NOSYMFOLLOW"), (MS_NOATIME, "MS_NOATIME"),
        (MS_NODIRATIME, "MS_NODIRATIME"), (MS_BIND, "MS_BIND"), (MS_MOVE, "MS_MOVE"), (MS_REC, "MS_REC"),
        (MS_SILENT, "MS_SILENT"), (MS_POSIXACL, "MS_POSIXACL"), (MS_UNBINDABLE, "MS_UNBINDABLE"),
        (MS_PRIVATE, "MS_PRIVATE"), (MS_SLAVE, "MS_SLAVE"), (MS_SHARED, "MS_SHARED"),
        (MS_RELATIME, "MS_RELATIME"), (MS_I_VERSION, "MS_I_VERSION"), (MS_STRICTATIME, "MS_STRICTATIME"),
        (MS_LAZYTIME, "MS_LAZYTIME"),
    ];

    /// <summary>"MS_BIND|MS_REC" for a flag word; "0" for none; unknown bits as hex.</summary>
    public static string Format(ulong flags)
    {
        if (flags == 0) return "0";
        var sb = new StringBuilder();
        foreach (var (flag, name) in Names)
        {
            if ((flags & flag) == 0) continue;
            if (sb.Length > 0) sb.Append('|');
            sb.Append(name);
            flags &= ~flag;
        }
        if (flags != 0)
        {
            if (sb.Length > 0) sb.Append('|');
            sb.Append("0x").Append(flags.ToString("x"));
        }
        return sb.ToString();
    }
}
