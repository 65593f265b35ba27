using System.Formats.Tar;

namespace ContainerPS.Tests.Unit.Support;

/// <summary>
/// A busybox root file system tarball from Debian's busybox-static (the same layout
/// scripts/New-BusyboxImage.ps1 makes), for engine tests that run real containers.
/// </summary>
public static class BusyboxRootfs
{
    public static string Write(string path)
    {
        var busybox = "/bin/busybox";
        if (!File.Exists(busybox)) throw new InvalidOperationException("busybox-static is not installed (apt-get install busybox-static)");
        var applets = Tool.Check(busybox, "--list-full").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(a => a != "bin/busybox").Distinct().Order(StringComparer.Ordinal).ToList();
        var dirs = new SortedSet<string>(StringComparer.Ordinal) { "bin", "dev", "etc", "home", "proc", "root", "sbin", "sys", "tmp", "usr", "usr/bin", "usr/sbin", "var" };
        using var file = File.Create(path);
        using var tar = new TarWriter(file, TarEntryFormat.Ustar);
        foreach (var d in dirs)
            tar.WriteEntry(new UstarTarEntry(TarEntryType.Directory, d + "/")
            {
                Mode = d == "tmp" ? (UnixFileMode)Convert.ToInt32("1777", 8) : d == "root" ? (UnixFileMode)Convert.ToInt32("700", 8) : (UnixFileMode)Convert.ToInt32("755", 8),
            });
        tar.WriteEntry(busybox, "bin/busybox");
        foreach (var (name, text) in new[]
        {
            ("etc/passwd", "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/home:/bin/false\napp:x:1000:1000:app:/home:/bin/sh\n"),
            ("etc/group", "root:x:0:\nnogroup:x:65534:\napp:x:1000:\n"),
        })
        {
            tar.WriteEntry(new UstarTarEntry(TarEntryType.RegularFile, name)
            {
                DataStream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(text)),
                Mode = (UnixFileMode)Convert.ToInt32("644", 8),
            });
        }
        foreach (var a in applets)
            tar.WriteEntry(new UstarTarEntry(TarEntryType.HardLink, a) { LinkName = "bin/busybox", Mode = (UnixFileMode)Convert.ToInt32("755", 8) });
        return path;
    }
}
