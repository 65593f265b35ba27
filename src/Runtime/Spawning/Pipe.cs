using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace ContainerPS.Runtime.Spawning;

/// <summary>A pipe whose ends are close-on-exec (only dup2'ed copies reach a child).</summary>
public sealed unsafe class Pipe : IDisposable
{
    private Pipe(int read, int write)
    {
        ReadFd = read;
        WriteFd = write;
    }

    public int ReadFd { get; private set; }
    public int WriteFd { get; private set; }

    public static Pipe Create()
    {
        var fds = stackalloc int[2];
        if (SpawnNative.pipe2(fds, SpawnNative.O_CLOEXEC) != 0) throw new SpawnException("pipe2", Marshal.GetLastPInvokeError());
        return new Pipe(fds[0], fds[1]);
    }

    public void CloseRead()
    {
        if (ReadFd >= 0) SpawnNative.close(ReadFd);
        ReadFd = -1;
    }

    public void CloseWrite()
    {
        if (WriteFd >= 0) SpawnNative.close(WriteFd);
        WriteFd = -1;
    }

    /// <summary>Takes ownership of the read end as a stream (the pipe no longer closes it).</summary>
    public FileStream TakeReader()
    {
        var s = new FileStream(new SafeFileHandle(ReadFd, ownsHandle: true), FileAccess.Read, 1);
        ReadFd = -1;
        return s;
    }

    /// <summary>Takes ownership of the write end as a stream.</summary>
    public FileStream TakeWriter()
    {
        var s = new FileStream(new SafeFileHandle(WriteFd, ownsHandle: true), FileAccess.Write, 1);
        WriteFd = -1;
        return s;
    }

    public void Dispose()
    {
        CloseRead();
        CloseWrite();
    }
}
