namespace ContainerPS.Runtime.Init;

/// <summary>
/// What <see cref="MountOptions.Parse"/> makes of an OCI mount's options: the mount(2) flags,
/// the propagation changes applied after the mount (each its own mount call, in order), and
/// the filesystem-specific data string ("mode=755,size=65536k").
/// </summary>
public sealed record ParsedMountOptions(ulong Flags, IReadOnlyList<ulong> Propagation, string Data, bool CopyUp)
{
    /// <summary>True for "bind"/"rbind" (MS_BIND in <see cref="Flags"/>).</summary>
    public bool IsBind => (Flags & Linux.MountFlags.MS_BIND) != 0;

    /// <summary>True when "ro" was given (and not undone by a later "rw").</summary>
    public bool IsReadOnly => (Flags & Linux.MountFlags.MS_RDONLY) != 0;
}
