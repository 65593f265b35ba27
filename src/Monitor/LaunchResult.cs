using ContainerPS.Runtime.Spawning;
using ContainerPS.Runtime.Terminal;

namespace ContainerPS.Monitor;

/// <summary>
/// A container process the monitor started: its PID, the monitor's ends of its stdio, and
/// (built-in runtime) the sync pipes that hold it before exec until the monitor says go.
/// </summary>
public sealed class LaunchResult : IDisposable
{
    public int Pid { get; init; }
    public Stream? Stdin { get; set; }
    public Stream? Stdout { get; init; }
    public Stream? Stderr { get; init; }
    /// <summary>
    /// The terminal's master. runc/crun: a host pty made at launch (they proxy it). Built-in
    /// runtime: made by the init inside the container and received on <see cref="Console"/>
    /// during the release (<see cref="ReceiveTerminal"/>); null until then.
    /// </summary>
    public Pty? Pty { get; private set; }

    /// <summary>Built-in runtime with a terminal: where the init sends the master.</summary>
    public ConsoleSocket? Console { get; private set; }

    private readonly ManualResetEventSlim _terminalSettled = new();
    private const int SIGWINCH = 28;
    private readonly object _terminalGate = new();
    private (int Rows, int Cols)? _pendingSize;

    public LaunchResult(Pty? pty, ConsoleSocket? console)
    {
        Pty = pty;
        Console = console;
        if (console is null) _terminalSettled.Set();
    }

    /// <summary>
    /// Called once the init is released: blocks until it sends the master (then applies a size
    /// asked for meanwhile) or closes the socket without one (it failed; its error pipe says why).
    /// </summary>
    public void ReceiveTerminal()
    {
        if (Console is not { } console) return;
        try
        {
            var pty = console.ReceiveMaster();
            lock (_terminalGate)
            {
                Pty = pty;
                if (pty is not null && _pendingSize is { } size)
                {
                    try { Pty.Resize(pty.Master, size.Rows, size.Cols); } catch (IOException) { }
                }
            }
        }
        catch (IOException)
        {
            // No master: the process runs without a terminal we hold (its output is lost), or it failed.
        }
        finally
        {
            Console = null;
            console.Dispose();
            _terminalSettled.Set();
        }
    }

    /// <summary>A size asked for before the release (an attaching client's): the init sets it itself before exec.</summary>
    public (int Rows, int Cols)? TerminalSizeForRelease()
    {
        lock (_terminalGate) return Console is null ? null : _pendingSize;
    }

    /// <summary>The terminal's master once it is there (waits for the release); null without a terminal.</summary>
    public Pty? AwaitTerminal()
    {
        _terminalSettled.Wait();
        return Pty;
    }

    /// <summary>
    /// TIOCSWINSZ on the master; before the master has arrived, remembered and applied on arrival
    /// (an attach's size comes before a held process is released). False without a terminal.
    /// </summary>
    public bool ResizeTerminal(int rows, int cols)
    {
        lock (_terminalGate)
        {
            if (Pty is { } pty)
            {
                Pty.Resize(pty.Master, rows, cols);
                // runc/crun relay their own terminal in the container to this host pty, and copy its
                // size over on SIGWINCH (they are not in its session, so the kernel does not send it).
                if (Runtime is not null) SpawnNative.kill(Pid, SIGWINCH);
                return true;
            }
            if (Console is null) return false;
            _pendingSize = (rows, cols);
            return true;
        }
    }
    /// <summary>Monitor → init: one byte releases it (after cgroups and networking are set up).</summary>
    public Stream? Go { get; set; }
    /// <summary>Init → monitor: an error message before exec, or EOF when exec succeeded.</summary>
    public Stream? Errors { get; set; }
    /// <summary>External runtime (runc, crun): the file it writes the container's PID to once the container runs.</summary>
    public string? PidFile { get; init; }

    /// <summary>
    /// The container's PID 1 on the host. For the built-in runtime the process we spawned; for
    /// runc/crun the one named in their --pid-file (we spawned `runc run`, its parent).
    /// </summary>
    public int ContainerPid
    {
        get
        {
            if (PidFile is null) return Pid;
            var pid = OciRuntimeProcess.ReadPid(PidFile);
            return pid > 0 ? pid : Pid;
        }
    }
    /// <summary>External runtime: its name, for messages.</summary>
    public string? Runtime { get; init; }

    /// <summary>
    /// What must be finished before the release and may still be under way (a pre-launched
    /// init's rootfs mount, <see cref="InitPrelaunch"/>); throws when it failed.
    /// </summary>
    public Action? CompleteSetUp { get; init; }

    public void Dispose()
    {
        Stdin?.Dispose();
        Stdout?.Dispose();
        Stderr?.Dispose();
        Pty?.Dispose();
        Console?.Dispose();
        _terminalSettled.Set();
        Go?.Dispose();
        Errors?.Dispose();
    }
}
