namespace ContainerPS.Engine.Archive;

/// <summary>Why <see cref="SafePath"/> refused an archive path.</summary>
internal enum SafePathError
{
    None = 0,

    /// <summary>Empty name or a NUL byte in it.</summary>
    Invalid,

    /// <summary>Starts with "/": this engine rejects absolute entry names instead of re-rooting them.</summary>
    Absolute,

    /// <summary>A ".." component climbs above the root.</summary>
    EscapesRoot,

    /// <summary>An existing parent component is a symbolic link (symlink-then-write, CVE-2018-15664 class).</summary>
    ThroughSymlink,

    /// <summary>An existing parent component is neither a directory nor a symlink.</summary>
    ParentNotDirectory,
}
