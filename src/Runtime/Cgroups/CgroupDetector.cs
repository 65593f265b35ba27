using System.Text;

namespace ContainerPS.Runtime.Cgroups;

/// <summary>
/// Finds how cgroups are mounted under a root (normally /sys/fs/cgroup) from the mount table:
/// V2 when the root itself is cgroup2; hybrid when v1 controller hierarchies sit beside a cgroup2
/// mount (systemd's /sys/fs/cgroup/unified); V1 when only v1 hierarchies exist. The mount table
/// (rather than statfs of guessed paths) also gives each v1 hierarchy's controllers, so
/// co-mounted "cpu,cpuacct" and separate "cpu" + "cpuacct" are both handled.
/// </summary>
public static class CgroupDetector
{
    public const string DefaultRoot = "/sys/fs/cgroup";

    private const string SelfMountInfo = "/proc/self/mountinfo";

    /// <summary>Controllers the kernel can mount as v1 (mount options that are not controllers are ignored).</summary>
    private static readonly HashSet<string> V1ControllerNames = new(StringComparer.Ordinal)
    {
        "cpuset", "cpu", "cpuacct", "io", "blkio", "memory", "devices", "freezer", "net_cls", "perf_event",
        "net_prio", "hugetlb", "pids", "rdma", "misc", "debug",
    };

    /// <summary>Detects the cgroup layout under <paramref name="root"/> from /proc/self/mountinfo.</summary>
    /// <exception cref="CgroupException">The mount table cannot be read.</exception>
    public static CgroupInfo Detect(string root = DefaultRoot) => Detect(root, SelfMountInfo);

    /// <summary>As <see cref="Detect(string)"/> with another mount table (tests point both at a fake tree).</summary>
    public static CgroupInfo Detect(string root, string mountInfoPath, CgroupFiles? files = null)
    {
        files ??= CgroupFiles.Default;
        return FromMountInfo(root, files.ReadText(mountInfoPath), files);
    }

    /// <summary>Pure interpretation of mountinfo text (see proc(5)); reads only the cgroup2 root's cgroup.controllers.</summary>
    public static CgroupInfo FromMountInfo(string root, string mountInfo, CgroupFiles? files = null)
    {
        files ??= CgroupFiles.Default;
        root = NormalizeDir(root);

        // Later mounts hide earlier ones at or below the same point (e.g. a tmpfs mounted over
        // /sys/fs/cgroup after the hierarchies): keep only what is visible.
        var visible = new List<(string MountPoint, string FsType, string SuperOptions)>();
        foreach (var raw in mountInfo.Split('\n'))
        {
            if (!TryParse(raw, out var mountPoint, out var fsType, out var superOptions)) continue;
            if (mountPoint != root && !mountPoint.StartsWith(root == "/" ? "/" : root + "/", StringComparison.Ordinal)) continue;
            visible.RemoveAll(m => m.MountPoint == mountPoint || m.MountPoint.StartsWith(mountPoint + "/", StringComparison.Ordinal));
            visible.Add((mountPoint, fsType, superOptions));
        }

        var atRoot = visible.FindLast(m => m.MountPoint == root);
        if (atRoot.FsType == "cgroup2")
            return new CgroupInfo { Mode = CgroupMode.V2, Root = root, UnifiedMountPoint = root, UnifiedControllers = ReadControllers(files, root) };

        var v1 = new List<CgroupV1Mount>();
        string? unified = null;
        foreach (var (mountPoint, fsType, superOptions) in visible)
        {
            if (fsType == "cgroup")
            {
                var controllers = new List<string>();
                string? name = null;
                foreach (var option in superOptions.Split(','))
                {
                    if (option.StartsWith("name=", StringComparison.Ordinal)) name = option[5..];
                    else if (V1ControllerNames.Contains(option)) controllers.Add(option);
                }
                if (controllers.Count > 0 || name is not null) v1.Add(new CgroupV1Mount(mountPoint, controllers, name));
            }
            else if (fsType == "cgroup2")
            {
                // Prefer systemd's <root>/unified should there be several.
                if (unified is null || mountPoint == root + "/unified") unified = mountPoint;
            }
        }

        var hasControllers = v1.Exists(m => m.Controllers.Count > 0);
        var mode = hasControllers ? (unified is null ? CgroupMode.V1 : CgroupMode.Hybrid)
            : unified is not null ? CgroupMode.V2
            : CgroupMode.None;
        return new CgroupInfo
        {
            Mode = mode,
            Root = root,
            V1Mounts = mode == CgroupMode.V2 ? Array.Empty<CgroupV1Mount>() : v1,
            UnifiedMountPoint = unified,
            UnifiedControllers = unified is null ? Array.Empty<string>() : ReadControllers(files, unified),
        };
    }

    private static IReadOnlyList<string> ReadControllers(CgroupFiles files, string unifiedMountPoint)
    {
        var path = unifiedMountPoint + "/cgroup.controllers";
        if (!files.FileExists(path)) return Array.Empty<string>();
        return files.ReadText(path).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
    }

    // "41 31 0:38 / /sys/fs/cgroup/unified rw,relatime shared:9 - cgroup2 cgroup2 rw,nsdelegate"
    private static bool TryParse(string line, out string mountPoint, out string fsType, out string superOptions)
    {
        mountPoint = fsType = superOptions = "";
        var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var separator = Array.IndexOf(fields, "-");
        if (fields.Length < 5 || separator < 6 || fields.Length < separator + 3) return false;
        mountPoint = NormalizeDir(Unescape(fields[4]));
        fsType = fields[separator + 1];
        superOptions = fields.Length > separator + 3 ? fields[separator + 3] : "";
        return true;
    }

    /// <summary>mountinfo escapes space, tab, newline and backslash as \ooo octal.</summary>
    private static string Unescape(string field)
    {
        if (!field.Contains('\\')) return field;
        var sb = new StringBuilder(field.Length);
        for (var i = 0; i < field.Length; i++)
        {
            if (field[i] == '\\' && i + 3 < field.Length && IsOctal(field[i + 1]) && IsOctal(field[i + 2]) && IsOctal(field[i + 3]))
            {
                sb.Append((char)(((field[i + 1] - '0') << 6) | ((field[i + 2] - '0') << 3) | (field[i + 3] - '0')));
                i += 3;
            }
            else
            {
                sb.Append(field[i]);
            }
        }
        return sb.ToString();
    }

    private static bool IsOctal(char c) => c is >= '0' and <= '7';

    private static string NormalizeDir(string path) => path.Length > 1 ? path.TrimEnd('/') : path;
}
