using System.Runtime.InteropServices;
using System.Text;

namespace ContainerPS.Runtime.Spawning;

/// <summary>
/// Spawns processes with posix_spawn (no managed code ever runs in the child) and, for
/// containers, from a dedicated thread that has first unshared namespaces: the child is
/// created in that thread's namespaces (for CLONE_NEWPID: as PID 1 of the new one).
/// </summary>
public static unsafe class Spawner
{
    /// <summary>Spawns <paramref name="request"/> from the calling thread; returns the child's PID.</summary>
    public static int Spawn(SpawnRequest request)
    {
        var fileActions = (void*)NativeMemory.AllocZeroed(SpawnNative.FileActionsSize);
        var attr = (void*)NativeMemory.AllocZeroed(SpawnNative.AttrSize);
        var sigset = (void*)NativeMemory.AllocZeroed(SpawnNative.SigsetSize);
        var strings = new List<nint>();
        try
        {
            Check(SpawnNative.posix_spawn_file_actions_init(fileActions), "posix_spawn_file_actions_init");
            Check(SpawnNative.posix_spawnattr_init(attr), "posix_spawnattr_init");
            foreach (var (child, parent) in request.Descriptors)
                Check(SpawnNative.posix_spawn_file_actions_adddup2(fileActions, parent, child), "posix_spawn_file_actions_adddup2");
            if (request.WorkingDirectory is { } cwd)
                Check(SpawnNative.posix_spawn_file_actions_addchdir_np(fileActions, Utf8(cwd, strings)), "posix_spawn_file_actions_addchdir_np");

            // The .NET runtime blocks and handles signals of its own; the child must start
            // with every signal at its default disposition and none blocked.
            short flags = SpawnNative.POSIX_SPAWN_SETSIGMASK | SpawnNative.POSIX_SPAWN_SETSIGDEF;
            if (request.NewSession) flags |= SpawnNative.POSIX_SPAWN_SETSID;
            SpawnNative.sigemptyset(sigset);
            Check(SpawnNative.posix_spawnattr_setsigmask(attr, sigset), "posix_spawnattr_setsigmask");
            SpawnNative.sigfillset(sigset);
            SpawnNative.sigdelset(sigset, 9);  // SIGKILL and SIGSTOP cannot be reset
            SpawnNative.sigdelset(sigset, 19);
            Check(SpawnNative.posix_spawnattr_setsigdefault(attr, sigset), "posix_spawnattr_setsigdefault");
            Check(SpawnNative.posix_spawnattr_setflags(attr, flags), "posix_spawnattr_setflags");

            var argv = StringArray(request.Arguments, strings);
            var envp = StringArray(request.Environment, strings);
            var rc = SpawnNative.posix_spawn(out var pid, Utf8(request.Path, strings), fileActions, attr, argv, envp);
            if (rc != 0) throw new SpawnException(request.Path, rc);
            return pid;
        }
        finally
        {
            SpawnNative.posix_spawn_file_actions_destroy(fileActions);
            SpawnNative.posix_spawnattr_destroy(attr);
            NativeMemory.Free(fileActions);
            NativeMemory.Free(attr);
            NativeMemory.Free(sigset);
            foreach (var p in strings) NativeMemory.Free((void*)p);
        }
    }

    /// <summary>
    /// Runs <paramref name="inNamespaces"/> on a new thread that first calls
    /// unshare(<paramref name="unshareFlags"/>) — the thread's namespaces, cwd and root are its
    /// own from then on — and returns its result. The thread ends afterwards, so nothing
    /// else ever runs in those namespaces; they live on in the children it spawned.
    /// </summary>
    public static T RunInNewNamespaces<T>(int unshareFlags, Func<T> inNamespaces)
    {
        T? result = default;
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                if (unshareFlags != 0 && SpawnNative.unshare(unshareFlags) != 0)
                    throw new SpawnException("unshare", Marshal.GetLastPInvokeError());
                result = inNamespaces();
            }
            catch (Exception ex)
            {
                failure = ex;
            }
        }, 256 * 1024) { IsBackground = true, Name = "containerps-ns" };
        thread.Start();
        thread.Join();
        if (failure is not null) throw failure;
        return result!;
    }

    /// <summary>Waits for a child; returns the raw wait status (see <see cref="WaitStatus"/>).</summary>
    public static int Wait(int pid)
    {
        while (true)
        {
            var r = SpawnNative.waitpid(pid, out var status, 0);
            if (r == pid) return status;
            var errno = Marshal.GetLastPInvokeError();
            if (errno != 4) throw new SpawnException("waitpid", errno); // EINTR: try again
        }
    }

    /// <summary>kill(2); false when the process is already gone.</summary>
    public static bool Kill(int pid, int signal) => SpawnNative.kill(pid, signal) == 0;

    private static byte** StringArray(IReadOnlyList<string> values, List<nint> owned)
    {
        var array = (byte**)NativeMemory.AllocZeroed((nuint)((values.Count + 1) * sizeof(nint)));
        owned.Add((nint)array);
        for (var i = 0; i < values.Count; i++) array[i] = Utf8(values[i], owned);
        return array;
    }

    private static byte* Utf8(string s, List<nint> owned)
    {
        var count = Encoding.UTF8.GetByteCount(s);
        var p = (byte*)NativeMemory.Alloc((nuint)count + 1);
        Encoding.UTF8.GetBytes(s, new Span<byte>(p, count));
        p[count] = 0;
        owned.Add((nint)p);
        return p;
    }

    private static void Check(int rc, string call)
    {
        if (rc != 0) throw new SpawnException(call, rc);
    }
}
