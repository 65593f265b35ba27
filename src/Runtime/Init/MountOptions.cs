using static ContainerPS.Runtime.Linux.MountFlags;

namespace ContainerPS.Runtime.Init;

/// <summary>
/// Turns OCI mount options into mount(2) arguments the way runc's parseMountOptions does
/// (libcontainer/specconv): known flag words set or clear MS_* bits in order, propagation
/// words become separate calls, everything else is filesystem data joined with ','.
/// </summary>
public static class MountOptions
{
    private static readonly Dictionary<string, (bool Clear, ulong Flag)> Flags = new(StringComparer.Ordinal)
    {
        ["acl"] = (false, MS_POSIXACL),
        ["async"] = (true, MS_SYNCHRONOUS),
        ["atime"] = (true, MS_NOATIME),
        ["bind"] = (false, MS_BIND),
        ["defaults"] = (false, 0),
        ["dev"] = (true, MS_NODEV),
        ["diratime"] = (true, MS_NODIRATIME),
        ["dirsync"] = (false, MS_DIRSYNC),
        ["exec"] = (true, MS_NOEXEC),
        ["iversion"] = (false, MS_I_VERSION),
        ["lazytime"] = (false, MS_LAZYTIME),
        ["loud"] = (true, MS_SILENT),
        ["mand"] = (false, MS_MANDLOCK),
        ["noacl"] = (true, MS_POSIXACL),
        ["noatime"] = (false, MS_NOATIME),
        ["nodev"] = (false, MS_NODEV),
        ["nodiratime"] = (false, MS_NODIRATIME),
        ["noexec"] = (false, MS_NOEXEC),
        ["noiversion"] = (true, MS_I_VERSION),
        ["nolazytime"] = (true, MS_LAZYTIME),
        ["nomand"] = (true, MS_MANDLOCK),
        ["norelatime"] = (true, MS_RELATIME),
        ["nostrictatime"] = (true, MS_STRICTATIME),
        ["nosuid"] = (false, MS_NOSUID),
        ["nosymfollow"] = (false, MS_NOSYMFOLLOW),
        ["rbind"] = (false, MS_BIND | MS_REC),
        ["relatime"] = (false, MS_RELATIME),
        ["remount"] = (false, MS_REMOUNT),
        ["ro"] = (false, MS_RDONLY),
        ["rw"] = (true, MS_RDONLY),
        ["silent"] = (false, MS_SILENT),
        ["strictatime"] = (false, MS_STRICTATIME),
        ["suid"] = (true, MS_NOSUID),
        ["sync"] = (false, MS_SYNCHRONOUS),
    };

    private static readonly Dictionary<string, ulong> Propagation = new(StringComparer.Ordinal)
    {
        ["private"] = MS_PRIVATE,
        ["shared"] = MS_SHARED,
        ["slave"] = MS_SLAVE,
        ["unbindable"] = MS_UNBINDABLE,
        ["rprivate"] = MS_PRIVATE | MS_REC,
        ["rshared"] = MS_SHARED | MS_REC,
        ["rslave"] = MS_SLAVE | MS_REC,
        ["runbindable"] = MS_UNBINDABLE | MS_REC,
    };

    /// <summary>
    /// Parses OCI mount options. "defaults" sets nothing and is not passed on as data (runc
    /// would pass it on, and tmpfs and others then refuse the mount). The recursive
    /// mount_setattr(2) options ("rro", "rnosuid", ...) and "idmap" are refused: this runtime
    /// does not implement them and silently dropping them would weaken the mount.
    /// </summary>
    /// <exception cref="ContainerInitException">An unsupported option.</exception>
    public static ParsedMountOptions Parse(IEnumerable<string>? options)
    {
        ulong flags = 0;
        var propagation = new List<ulong>();
        var data = new List<string>();
        var copyUp = false;
        foreach (var o in options ?? [])
        {
            if (Flags.TryGetValue(o, out var f))
            {
                if (f.Clear) flags &= ~f.Flag;
                else flags |= f.Flag;
            }
            else if (Propagation.TryGetValue(o, out var p))
            {
                propagation.Add(p);
            }
            else if (o == "tmpcopyup")
            {
                copyUp = true;
            }
            else if (IsRecursiveAttribute(o) || o is "idmap" or "ridmap")
            {
                throw new ContainerInitException($"mount option \"{o}\" is not supported by this runtime");
            }
            else
            {
                data.Add(o);
            }
        }
        return new ParsedMountOptions(flags, propagation, string.Join(',', data), copyUp);
    }

    /// <summary>runc's recursive (mount_setattr) options: "rro", "rrw", "rnosuid", "ratime", ...</summary>
    private static bool IsRecursiveAttribute(string o) => o.Length > 1 && o[0] == 'r' && Flags.ContainsKey(o[1..]);
}
