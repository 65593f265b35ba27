using System.Runtime.InteropServices;

namespace ContainerPS.Runtime.Spawning;

/// <summary>
/// Reaps children this process spawned and does not wait for itself (the engine's container
/// monitors, which run detached for as long as their containers): one thread for all of them,
/// polling a pidfd per child, instead of a thread blocked in waitpid per child. A thread start
/// is on every container start otherwise (.NET waits for a new thread to run before Start
/// returns), and a long session with many containers would keep as many threads.
/// Without pidfds (Linux before 5.3) each child gets its own waiting thread, as before.
/// </summary>
public static class ChildReaper
{
    private static readonly object Gate = new();
    private static readonly Dictionary<int, int> Watched = new(); // pidfd → pid
    private static Pipe? _wake;
    private static Thread? _thread;

    /// <summary>Reaps <paramref name="pid"/> (a child of this process) when it exits.</summary>
    public static void Add(int pid)
    {
        var fd = SpawnNative.PidfdOpen(pid);
        if (fd < 0)
        {
            if (Marshal.GetLastPInvokeError() == 3) // ESRCH: already reaped by someone else
                return;
            WaitOnOwnThread(pid);
            return;
        }
        lock (Gate)
        {
            Watched[fd] = pid;
            if (_thread is null)
            {
                _wake = Pipe.Create();
                _thread = new Thread(Run, 64 * 1024) { IsBackground = true, Name = "child-reaper" };
                _thread.Start();
            }
            else
            {
                Wake();
            }
        }
    }

    private static unsafe void Wake()
    {
        byte one = 1;
        SpawnNative.write(_wake!.WriteFd, &one, 1);
    }

    private static unsafe void Run()
    {
        var drain = new byte[64];
        while (true)
        {
            SpawnNative.PollFd[] fds;
            int[] pids;
            lock (Gate)
            {
                fds = new SpawnNative.PollFd[Watched.Count + 1];
                pids = new int[Watched.Count + 1];
                fds[0] = new SpawnNative.PollFd { fd = _wake!.ReadFd, events = SpawnNative.POLLIN };
                var i = 1;
                foreach (var (fd, pid) in Watched)
                {
                    fds[i] = new SpawnNative.PollFd { fd = fd, events = SpawnNative.POLLIN };
                    pids[i++] = pid;
                }
            }
            int ready;
            fixed (SpawnNative.PollFd* p = fds) ready = SpawnNative.poll(p, (nuint)fds.Length, -1);
            if (ready < 0) continue; // EINTR
            if (fds[0].revents != 0)
                fixed (byte* d = drain) SpawnNative.read(fds[0].fd, d, drain.Length);
            for (var i = 1; i < fds.Length; i++)
            {
                if (fds[i].revents == 0) continue;
                // Exited: collect it (WNOHANG: someone else may have reaped it already).
                SpawnNative.waitpid(pids[i], out _, 1 /* WNOHANG */);
                lock (Gate) Watched.Remove(fds[i].fd);
                SpawnNative.close(fds[i].fd);
            }
        }
    }

    private static void WaitOnOwnThread(int pid)
    {
        var t = new Thread(() =>
        {
            try { Spawner.Wait(pid); }
            catch (SpawnException) { }
        }, 64 * 1024) { IsBackground = true, Name = "reap-" + pid };
        t.Start();
    }
}
