using System.Management.Automation;
using ContainerPS.Engine.Containers;
using ContainerPS.Module.Infrastructure;

namespace ContainerPS.Module.Containers;

/// <summary>
/// docker exec -it: an interactive session inside a running container, in this console, like
/// Enter-PSSession. Runs <see cref="Command"/> (default sh) on a new pseudo-terminal in the
/// container; the console is in raw mode until the command exits, window resizes are
/// forwarded, and the exit code goes to $LASTEXITCODE.
/// </summary>
/// <remarks>
/// A console is required: in a host without one, or with standard input or output
/// redirected, the command stops at once with NoConsole (use Invoke-ContainerCommand in
/// scripts). There are no detach keys: the session is a child of this process and ends with
/// its command.
/// </remarks>
[Cmdlet(VerbsCommon.Enter, "Container", DefaultParameterSetName = NameSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(Container))]
public sealed class EnterContainerCommand : ContainerExecCmdlet
{
    /// <summary>The command to run and its arguments (default: sh).</summary>
    [Parameter(Position = 1, ValueFromRemainingArguments = true)]
    [ValidateNotNullOrEmpty]
    public string[] Command { get; set; } = { "sh" };

    /// <summary>Writes the Container when the session has ended.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void BeginProcessing()
    {
        if (!ConsoleTerminal.IsAvailable(Host))
            ThrowTerminatingError(ConsoleTerminal.NoConsoleError(
                "Enter-Container (an interactive session; in scripts use Invoke-ContainerCommand)", string.Join(' ', Command)));
    }

    protected override void ProcessRecord()
    {
        if (SingleTarget() is not var (container, target)) return;
        var command = string.Join(' ', Command);
        if (!ShouldProcess(Describe(container), $"Start an interactive session running '{command}'")) return;

        var options = BuildExecOptions(Command, interactive: true, tty: true);
        int? exitCode = null;
        Exception? failure = null;
        var terminal = OpenConsole(input: true, target);
        try
        {
            exitCode = RunEngine($"Session in {container.Name}", context => Containers.ExecAsync(container.Id, options, new AttachStreams
            {
                Stdin = terminal.Input,
                Output = (_, data) => terminal.Output.Write(data.Span),
                Size = terminal.Size,
                Resizes = terminal.Resizes,
            }, context.CancellationToken));
        }
        catch (Exception e) when (ErrorMapping.IsReportable(e))
        {
            failure = e; // reported once the console is back in its own mode
        }
        finally
        {
            terminal.Dispose();
        }

        if (failure is not null)
        {
            if (failure is ContainerStartException start) SetLastExitCode(start.ExitCode);
            WriteEngineError(failure, target);
            return;
        }
        SetLastExitCode(exitCode!.Value);
        if (PassThru && Containers.TryGet(container.Id, out var after)) WriteObject(after);
    }
}
