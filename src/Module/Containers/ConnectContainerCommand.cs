using System.Management.Automation;
using ContainerPS.Engine.Containers;
using ContainerPS.Engine.Errors;
using ContainerPS.Module.Infrastructure;
using ContainerPS.Runtime.Monitor;

namespace ContainerPS.Module.Containers;

/// <summary>
/// docker attach: connects this console to a running container's main process. A TTY
/// container gets the console in raw mode (when it was started with -Interactive, so it reads
/// the keys) with window resizes forwarded; its screen is drawn as it is. Without a TTY the
/// container's output lines are written to the Output stream as strings (with a Stream note
/// property, as Start-Container writes them) and the lines typed go to its standard input.
/// </summary>
/// <remarks>
/// The detach keys (default ctrl-p ctrl-q, <see cref="DetachKeys"/> as Docker writes them) end
/// the attach and leave the container running; so does Ctrl+C where the keys do not go to a
/// container's terminal. When the container exits, its exit code goes to $LASTEXITCODE.
/// A TTY container needs a console: without one the error is NoConsole.
/// </remarks>
[Cmdlet(VerbsCommunications.Connect, "Container", DefaultParameterSetName = NameSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(string), typeof(Container))]
public sealed class ConnectContainerCommand : ContainerTargetCmdlet
{
    private byte[] _detachKeys = Array.Empty<byte>();

    /// <summary>The keys that detach, as Docker writes them (default "ctrl-p,ctrl-q"; e.g. "ctrl-x,x").</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? DetachKeys { get; set; }

    /// <summary>Does not pass this console's input to the container (docker attach --no-stdin).</summary>
    [Parameter]
    public SwitchParameter NoStdin { get; set; }

    /// <summary>Writes the Container when the attach has ended (detached or exited).</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void BeginProcessing() => _detachKeys = ParseDetachKeys(DetachKeys);

    protected override void ProcessRecord()
    {
        if (SingleTarget() is not var (container, target)) return;
        if (container.State == ContainerStatus.Paused)
        {
            WriteEngineError(new ConflictException("ContainerPaused", $"You cannot attach to a paused container, resume it first: {container.Name}", container.Name, ErrorKind.FailedPrecondition), target);
            return;
        }
        if (!container.Running)
        {
            WriteEngineError(new ConflictException("ContainerNotRunning", $"You cannot attach to a stopped container, start it first: {container.Name}", container.Name, ErrorKind.FailedPrecondition), target);
            return;
        }
        if (container.Tty && !ConsoleTerminal.IsAvailable(Host))
        {
            WriteError(ConsoleTerminal.NoConsoleError($"Attaching to {container.Name}, which has a TTY,", target));
            return;
        }
        if (!ShouldProcess(Describe(container), "Attach this console to the container")) return;

        var input = container.Config.Interactive && !NoStdin;
        ConsoleTerminal? terminal = null, lines = null;
        Stream? stdin = null;
        if (container.Tty)
        {
            terminal = OpenConsole(input, target);
            if (input) stdin = terminal.Input;
        }
        else if (input && ConsoleTerminal.HasInput(Host))
        {
            lines = OpenConsoleLines(target);
            stdin = lines.Input;
        }

        int? exitCode = null;
        Exception? failure = null;
        var session = AttachSession.Begin(this, Containers, container, stdin, terminal, stdin is null ? null : _detachKeys, CancellationToken);
        try
        {
            exitCode = session.Finish();
        }
        catch (Exception e) when (ErrorMapping.IsReportable(e))
        {
            failure = e; // reported once the console is back in its own mode
        }
        finally
        {
            session.Dispose();
            lines?.Dispose();
            if (terminal is not null)
            {
                if (exitCode is null && failure is null) WriteLineBreak(terminal);
                terminal.Dispose();
            }
        }

        if (failure is not null)
        {
            WriteEngineError(failure, target);
            return;
        }
        if (exitCode is { } code) SetLastExitCode(code);
        else WriteVerbose($"Detached from container {container.Name}; it keeps running.");
        if (PassThru && Containers.TryGet(container.Id, out var after)) WriteObject(after);
    }

    /// <summary>After a detach the cursor may be anywhere on the container's line: the prompt starts on a new one.</summary>
    private static void WriteLineBreak(ConsoleTerminal terminal)
    {
        try { terminal.Output.Write("\r\n"u8); } catch (IOException) { }
    }
}
