using System.Runtime.InteropServices;

namespace ContainerPS.Runtime.Terminal;

/// <summary>
/// runc's --console-socket, as a socketpair: the container's init (or an exec) creates its
/// terminal inside the container — from the container's own devpts, so `tty` names a
/// /dev/pts/N that exists there — and hands the master to the monitor (or the engine, for an
/// exec) with SCM_RIGHTS. The parent keeps <see cref="ParentFd"/>, the child gets
/// <see cref="ChildFd"/> (both close-on-exec; the spawn's dup2 clears the flag on the child's copy).
/// </summary>
public sealed unsafe class ConsoleSocket : IDisposable
{
    private ConsoleSocket(int parent, int child)
    {
        ParentFd = parent;
        ChildFd = child;
    }

    public int ParentFd { get; private set; }
    public int ChildFd { get; private set; }

    public static ConsoleSocket Create()
    {
        var fds = stackalloc int[2];
        if (PtyNative.socketpair(PtyNative.AF_UNIX, PtyNative.SOCK_STREAM | PtyNative.SOCK_CLOEXEC, 0, fds) != 0)
            throw Error("socketpair", "AF_UNIX");
        return new ConsoleSocket(fds[0], fds[1]);
    }

    /// <summary>After the spawn: the child has its copy.</summary>
    public void CloseChild()
    {
        if (ChildFd >= 0) PtyNative.close(ChildFd);
        ChildFd = -1;
    }

    /// <summary>
    /// Blocks until the child sends its terminal's master (returned, close-on-exec) or closes its
    /// end without one (null: it failed before, and says why on its error pipe).
    /// </summary>
    public Pty? ReceiveMaster()
    {
        byte data;
        var iov = new PtyNative.IoVec { Base = &data, Len = 1 };
        PtyNative.FdControl control = default;
        var msg = new PtyNative.MsgHdr { Iov = &iov, IovLen = 1, Control = &control, ControlLen = (nuint)sizeof(PtyNative.FdControl) };
        nint n;
        do n = PtyNative.recvmsg(ParentFd, &msg, PtyNative.MSG_CMSG_CLOEXEC);
        while (n < 0 && Marshal.GetLastPInvokeError() == PtyNative.EINTR);
        if (n < 0) throw Error("recvmsg", "console socket");
        if (n == 0 || msg.ControlLen < PtyNative.FdControlLen || control.Level != PtyNative.SOL_SOCKET || control.Type != PtyNative.SCM_RIGHTS) return null;
        return Pty.FromMaster(control.Fd);
    }

    /// <summary>In the child: sends <paramref name="master"/> over <paramref name="socket"/> (one byte of data carries it).</summary>
    public static void SendMaster(int socket, int master)
    {
        byte data = 0;
        var iov = new PtyNative.IoVec { Base = &data, Len = 1 };
        var control = new PtyNative.FdControl { Len = PtyNative.FdControlLen, Level = PtyNative.SOL_SOCKET, Type = PtyNative.SCM_RIGHTS, Fd = master };
        var msg = new PtyNative.MsgHdr { Iov = &iov, IovLen = 1, Control = &control, ControlLen = (nuint)sizeof(PtyNative.FdControl) };
        nint n;
        do n = PtyNative.sendmsg(socket, &msg, PtyNative.MSG_NOSIGNAL);
        while (n < 0 && Marshal.GetLastPInvokeError() == PtyNative.EINTR);
        if (n != 1) throw Error("sendmsg", "console socket");
    }

    public void Dispose()
    {
        CloseChild();
        if (ParentFd >= 0) PtyNative.close(ParentFd);
        ParentFd = -1;
    }

    private static IOException Error(string call, string what) => Pty.Error(call, what);
}
