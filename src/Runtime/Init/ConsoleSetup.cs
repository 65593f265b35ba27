using ContainerPS.Runtime.Linux;
using ContainerPS.Runtime.Terminal;
using static ContainerPS.Runtime.Linux.MountFlags;

namespace ContainerPS.Runtime.Init;

/// <summary>
/// runc's setupConsole for a <c>terminal: true</c> process: the pseudo-terminal is made inside
/// the container, from its own devpts (mounted newinstance, ptmxmode=0666), so the process's
/// terminal is a /dev/pts/N that exists in there (`tty` prints it) rather than one of the
/// host's. The slave becomes stdin, stdout, stderr and the controlling terminal; for the
/// container's init it is also bind-mounted onto /dev/console; the master goes to the parent
/// over the console socket, and nothing of the pair stays open here but fds 0-2.
/// </summary>
public static class ConsoleSetup
{
    /// <param name="socket">The child's end of the <see cref="ConsoleSocket"/>; closed when done.</param>
    /// <param name="mountConsole">The container's init (runc mounts /dev/console for it, not for exec).</param>
    /// <param name="size">The window size to start with (the attaching client's), set before the process runs.</param>
    /// <exception cref="ContainerInitException">A step failed; the message names it.</exception>
    public static void Run(ISyscalls sys, int socket, bool mountConsole, (int Rows, int Cols)? size)
    {
        try
        {
            using var pty = Pty.Open();
            if (size is { } s) Pty.Resize(pty.Master, s.Rows, s.Cols);
            if (mountConsole) MountConsole(sys, pty.SlavePath);
            pty.BecomeStdio();
            Pty.MakeControllingTerminal(0);
            ConsoleSocket.SendMaster(socket, pty.Master);
        }
        catch (IOException ex)
        {
            throw new ContainerInitException("setting up the console: " + ex.Message);
        }
        catch (SyscallError ex)
        {
            throw new ContainerInitException("setting up the console: " + ex.Message, ex);
        }
        finally
        {
            sys.Close(socket);
        }
    }

    /// <summary>runc's mountConsole: an empty file (when /dev has no console already), the slave bound onto it.</summary>
    private static void MountConsole(ISyscalls sys, string slavePath)
    {
        if (sys.Lstat(SpecConsolePath) is null)
        {
            var fd = sys.Open(SpecConsolePath, OpenFlags.O_CREAT | OpenFlags.O_WRONLY | OpenFlags.O_CLOEXEC | OpenFlags.O_NOFOLLOW, 0x1B6);
            sys.Close(fd);
        }
        sys.Mount(slavePath, SpecConsolePath, "bind", MS_BIND, null);
    }

    private const string SpecConsolePath = Spec.SpecDefaults.ConsolePath;
}
