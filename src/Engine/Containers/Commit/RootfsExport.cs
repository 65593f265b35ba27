using ContainerPS.Engine.Errors;
using ContainerPS.Runtime.Monitor;

namespace ContainerPS.Engine.Containers.Commit;

/// <summary>
/// docker export's mount: the container's root file system as a read-only overlay whose lowest
/// layers are the image's and whose top layer is the container's upper directory, used as one
/// more lower directory. With no upperdir and no workdir the overlay is read-only by
/// construction and never touches the container's own work directory, so it serves stopped and
/// running containers alike (for a running one the kernel logs that the upper directory is in use
/// by another mount; with index=off that is allowed).
/// </summary>
internal static class RootfsExport
{
    /// <summary>
    /// The mount(2) data for the export overlay: <c>lowerdir=&lt;upper&gt;:&lt;image layers&gt;</c>, the
    /// upper directory relative to <see cref="MountDescription.WorkingDirectory"/> like the layers
    /// (short options: the kernel caps them at one page). Options that only make sense with an
    /// upper directory are dropped.
    /// </summary>
    /// <exception cref="InvalidArgumentException">"InvalidRootfs": the description is not an overlay with a lowerdir.</exception>
    public static string MountData(MountDescription rootfs, string defaultUpperDir)
    {
        if (rootfs.Type != "overlay")
            throw new InvalidArgumentException("InvalidRootfs", $"the container's root file system is a {rootfs.Type} mount; export needs an overlay", rootfs.Type);
        string? lower = null, upper = null;
        var rest = new List<string>();
        foreach (var option in rootfs.Options)
        {
            if (option.StartsWith("lowerdir=", StringComparison.Ordinal)) lower = option["lowerdir=".Length..];
            else if (option.StartsWith("upperdir=", StringComparison.Ordinal)) upper = option["upperdir=".Length..];
            else if (option.StartsWith("workdir=", StringComparison.Ordinal) || option == "volatile") continue;
            else rest.Add(option);
        }
        if (string.IsNullOrEmpty(lower))
            throw new InvalidArgumentException("InvalidRootfs", "the container's overlay mount has no lowerdir", rootfs.Data);
        upper ??= defaultUpperDir;
        if (rootfs.WorkingDirectory is { } cwd && Path.IsPathRooted(upper)) upper = Path.GetRelativePath(cwd, upper);
        rest.Insert(0, "lowerdir=" + upper + ":" + lower);
        return string.Join(',', rest);
    }
}
