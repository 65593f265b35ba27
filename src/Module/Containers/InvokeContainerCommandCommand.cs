using System.Management.Automation;
using System.Text;
using ContainerPS.Engine.Containers;
using ContainerPS.Engine.Errors;
using ContainerPS.Module.Infrastructure;

namespace ContainerPS.Module.Containers;

/// <summary>
/// Runs a command inside running containers (docker exec). The command's output is written
/// as strings, line by line as it is produced (stderr lines too, tagged with a Stream note
/// property, as Start-Container does); its exit code goes to $LASTEXITCODE.
/// </summary>
[Cmdlet(VerbsLifecycle.Invoke, "ContainerCommand", DefaultParameterSetName = NameSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(string))]
public sealed class InvokeContainerCommandCommand : ContainerExecCmdlet
{
    /// <summary>The command and its arguments (use -- before arguments that start with a dash).</summary>
    [Parameter(Mandatory = true, Position = 1, ValueFromRemainingArguments = true)]
    [ValidateNotNullOrEmpty]
    public string[] Command { get; set; } = Array.Empty<string>();

    /// <summary>Lines fed to the command's standard input (docker exec -i); it sees end-of-file after the last.</summary>
    [Parameter]
    public string[]? InputText { get; set; }

    protected override void ProcessRecord()
    {
        foreach (var (container, target) in Targets())
        {
            if (!ShouldProcess(container.Name, "Run " + string.Join(' ', Command))) continue;
            var options = BuildExecOptions(Command, interactive: InputText is not null, tty: false);
            var stdin = InputText is null ? null : new MemoryStream(Encoding.UTF8.GetBytes(string.Concat(InputText.Select(l => l + "\n"))));
            try
            {
                var exitCode = RunEngine($"Running in {container.Name}", async context =>
                {
                    var splitters = new Dictionary<string, LineSplitter> { ["stdout"] = new(), ["stderr"] = new() };
                    var code = await Containers.ExecAsync(container.Id, options, new AttachStreams
                    {
                        Stdin = stdin,
                        Output = (stream, data) =>
                        {
                            lock (splitters)
                                foreach (var line in splitters[stream].Feed(data.Span)) context.WriteObject(OutputLine.Create(line, stream));
                        },
                    }, context.CancellationToken).ConfigureAwait(false);
                    foreach (var (stream, splitter) in splitters)
                        if (splitter.Flush() is { } last) context.WriteObject(OutputLine.Create(last, stream));
                    return code;
                });
                SetLastExitCode(exitCode);
            }
            catch (ContainerStartException ex)
            {
                SetLastExitCode(ex.ExitCode);
                WriteEngineError(ex, target);
            }
            catch (Exception ex) when (ErrorMapping.IsReportable(ex))
            {
                WriteEngineError(ex, target);
            }
        }
    }
}
