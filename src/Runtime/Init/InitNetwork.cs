using System.Runtime.InteropServices;
using ContainerPS.Runtime.Networking;
using ContainerPS.Runtime.Spawning;

namespace ContainerPS.Runtime.Init;

/// <summary>
/// Puts the calling thread — and so the init it is or spawns — in the container's network
/// (<see cref="For"/>): a namespace of its own with loopback up (-Network none,
/// as Docker has it), the host's, or an engine-made namespace (CNI-configured, or another
/// container's) joined by its file.
/// </summary>
public static class InitNetwork
{
    private const int CLONE_NEWNET = 0x40000000;

    /// <summary>A network namespace of its own, loopback up (-Network none).</summary>
    public const string Own = "own";

    /// <summary>The host's network namespace (-Network host).</summary>
    public const string Host = "host";

    /// <summary>The network of a container: <paramref name="netnsPath"/> to join, the host's, or else one of its own.</summary>
    public static string For(string? netnsPath, bool hostNetwork) => netnsPath ?? (hostNetwork ? Host : Own);

    /// <exception cref="IOException">The unshare, open, setns or loopback ioctl failed (the message names it and the path).</exception>
    public static void Enter(string network)
    {
        switch (network)
        {
            case Host:
                return;
            case Own:
                if (SpawnNative.unshare(CLONE_NEWNET) != 0) throw Error("unshare(CLONE_NEWNET)", "");
                LoopbackInterface.BringUp();
                return;
            default:
                Join(network);
                return;
        }
    }

    private static void Join(string netnsPath)
    {
        var fd = SpawnNative.open(netnsPath, SpawnNative.O_RDONLY | SpawnNative.O_CLOEXEC, 0);
        if (fd < 0) throw Error("open", netnsPath);
        try
        {
            if (SpawnNative.setns(fd, CLONE_NEWNET) != 0) throw Error("setns", netnsPath);
        }
        finally
        {
            SpawnNative.close(fd);
        }
    }

    private static IOException Error(string call, string path)
    {
        var errno = Marshal.GetLastPInvokeError();
        return new IOException($"{call}{(path.Length > 0 ? " " + path : "")}: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno})");
    }
}
