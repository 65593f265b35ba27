using System.Runtime.InteropServices;
using ContainerPS.Runtime.Linux;
using ContainerPS.Runtime.Spawning;

namespace ContainerPS.Runtime.Networking;

/// <summary>
/// Persistent network namespaces, as `ip netns add` makes them: a thread unshares CLONE_NEWNET
/// and bind-mounts its /proc/thread-self/ns/net onto a file, which keeps the namespace alive
/// with no process in it — CNI plugins set it up before the container exists and tear it down
/// after it is gone (podman's model). Only that thread ever enters the new namespace; it also
/// sets lo up there (what the loopback plugin did).
/// </summary>
public static class NetworkNamespace
{
    /// <summary>Machine-wide (container IDs are unique across store roots).</summary>
    public const string Directory = "/run/containerps/netns";

    public static string PathFor(string containerId) => System.IO.Path.Combine(Directory, containerId);

    /// <summary>Creates the namespace at <paramref name="path"/> with lo up; a stale one left there (a crash) is replaced.</summary>
    /// <exception cref="IOException">unshare or the bind mount failed (the message names the call and errno).</exception>
    public static void Create(string path)
    {
        System.IO.Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        Remove(path);
        File.WriteAllBytes(path, Array.Empty<byte>());
        try
        {
            Spawner.RunInNewNamespaces(CloneFlags.CLONE_NEWNET, () =>
            {
                if (SpawnNative.mount("/proc/thread-self/ns/net", path, null, SpawnNative.MS_BIND, null) != 0)
                    throw Failed("mount --bind /proc/thread-self/ns/net", path);
                // lo up while this thread is inside anyway: no loopback plugin exec per start.
                LoopbackInterface.BringUp();
                return 0;
            });
        }
        catch
        {
            // Remove, not only delete: lo failing comes after the bind mount.
            Remove(path);
            throw;
        }
    }

    /// <summary>Unmounts and deletes the namespace file (the namespace itself goes when nothing else holds it). Quiet when it is not there.</summary>
    public static void Remove(string path)
    {
        // MNT_DETACH: a plugin or an exec still inside does not make the unmount fail.
        Libc.umount2(path, MntDetach);
        TryDelete(path);
    }

    private const int MntDetach = 2;

    private static void TryDelete(string path)
    {
        try { File.Delete(path); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }

    private static IOException Failed(string call, string path)
    {
        var errno = Marshal.GetLastPInvokeError();
        return new IOException($"{call} {path}: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno})");
    }
}
