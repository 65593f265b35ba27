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
/// <remarks>
/// Its content is the same for every container (empty files and directories), and a lower
/// layer is never written, so one copy per store serves all of them (<see cref="Store.StoreLayout.InitLayer"/>):
/// nothing of it to create at each create and to delete at each removal (8 directory entries of
/// a container's ~25, each ~30 µs on ext4 either way).
/// </remarks>
internal static class InitLayer
{
    private static readonly string[] Directories = { "dev", "proc", "sys", "etc" };
    private static readonly string[] Files = { "etc/hosts", "etc/hostname", "etc/resolv.conf" };

    /// <summary>Makes sure the store's shared layer exists at <paramref name="dir"/> (laid out beside it, then renamed into place).</summary>
    public static void Ensure(string dir)
    {
        if (Directory.Exists(dir)) return;
        var parent = Path.GetDirectoryName(dir)!;
        Directory.CreateDirectory(parent);
        var temp = Path.Combine(parent, Runtime.IO.AtomicFile.TempPrefix + "init-" + Guid.NewGuid().ToString("N")[..8]);
        Write(temp);
        try
        {
            Directory.Move(temp, dir);
        }
        catch (IOException) when (Directory.Exists(dir))
        {
            Directory.Delete(temp, recursive: true); // another shell laid it out first
        }
    }

    /// <summary>Lays the layer out in <paramref name="dir"/> (created).</summary>
    private static void Write(string dir)
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
