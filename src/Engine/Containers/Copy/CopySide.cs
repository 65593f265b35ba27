using ContainerPS.Engine.Errors;
using ContainerPS.Engine.Interop;
using ContainerPS.Runtime.Init;

namespace ContainerPS.Engine.Containers.Copy;

/// <summary>
/// One end of a copy: the host (paths resolved as usual) or a container root (every path
/// resolved by openat2 with RESOLVE_IN_ROOT against a descriptor of the container's root, so
/// "..", absolute symlinks and symlinks to "/" all stay inside it — the CVE-2018-15664 /
/// CVE-2019-14271 class cannot happen, and there is no window between check and use).
/// </summary>
internal sealed class CopySide
{
    private const int AtFdCwd = -100;

    private CopySide(int rootFd, string? container)
    {
        RootFd = rootFd;
        Container = container;
    }

    public static CopySide Host { get; } = new(AtFdCwd, null);

    public static CopySide InContainer(int rootFd, string name) => new(rootFd, name);

    public int RootFd { get; }

    /// <summary>The container's name, null for the host.</summary>
    public string? Container { get; }

    public bool IsContainer => Container is not null;

    /// <summary>Absolute and lexically clean: container paths are relative to its root, host paths to the process's cwd.</summary>
    public string Clean(string path) =>
        SecureJoin.Clean(IsContainer || path.StartsWith('/') ? "/" + path : Path.GetFullPath(path));

    /// <summary>openat2 on this side; returns the descriptor or -errno.</summary>
    public int TryOpen(string cleanPath, int flags) => Fd.TryOpenAt2(RootFd, cleanPath, flags, inRoot: IsContainer);

    /// <summary>The "not found" error Docker gives for this side.</summary>
    public EngineException NotFound(string path, string errorId) => IsContainer
        ? new NotFoundException(errorId, $"Could not find the file {path} in container {Container}", path)
        : new NotFoundException(errorId, $"lstat {path}: no such file or directory", path);

    /// <summary>The error for a failed open of <paramref name="path"/> on this side (-errno from <see cref="TryOpen"/>).</summary>
    public EngineException OpenFailed(string path, int negativeErrno, string notFoundId) => -negativeErrno switch
    {
        Errno.ENOENT or Errno.ENOTDIR => NotFound(path, notFoundId),
        Errno.ELOOP => new InvalidArgumentException("CopySymlinkLoop", $"{Describe(path)}: too many levels of symbolic links", path),
        _ => new SyscallException("openat2", Describe(path), -negativeErrno),
    };

    public string Describe(string path) => IsContainer ? $"{Container}:{path}" : path;
}
