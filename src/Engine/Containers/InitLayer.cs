using ContainerPS.Engine.Interop;

namespace ContainerPS.Engine.Containers;

/// <summary>
/// Docker's init layer: a small read-only layer between the image's layers and the container's
/// copy-on-write upper directory, holding the mount points the runtime needs (/etc/hosts,
/// /etc/hostname, /etc/resolv.conf as empty files; /proc, /sys, /dev). Without it the runtime
/// creates missing mount points in the upper directory, and those placeholders end up in
/// commits and in the builder's RUN layers. Commit and RUN diff only the upper directory, so
/// nothing of this layer reaches an image; export sees it (as in Docker).
/// </summary>
internal static class InitLayer
{
    /// <summary>containers/&lt;id&gt;/init.</summary>
    public const string DirectoryName = "init";

    private static readonly string[] Directories = { "dev", "proc", "sys", "etc" };
    private static readonly string[] Files = { "etc/hosts", "etc/hostname", "etc/resolv.conf" };

    /// <summary>Lays the layer out in <paramref name="dir"/> (created).</summary>
    public static void Write(string dir)
    {
        Directory.CreateDirectory(dir);
        FileSystem.Chmod(dir, 0x1ED); // 0755
        foreach (var d in Directories)
        {
            Directory.CreateDirectory(Path.Combine(dir, d));
            FileSystem.Chmod(Path.Combine(dir, d), 0x1ED);
        }
        foreach (var f in Files)
        {
            var path = Path.Combine(dir, f);
            using (File.Create(path)) { }
            FileSystem.Chmod(path, 0x1A4); // 0644
        }
    }
}
