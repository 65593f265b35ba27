using System.Management.Automation;
using ContainerPS.Engine.Containers;
using ContainerPS.Engine.Errors;
using ContainerPS.Module.Completion;
using ContainerPS.Module.Infrastructure;
using ContainerPS.Runtime.Monitor;

namespace ContainerPS.Module.Containers;

/// <summary>
/// docker run (the Image set: create and start a container from an image, in the foreground
/// or with -Detach) and docker start (the Name, Id and InputObject sets: start existing
/// containers, with -Attach / -Interactive in the foreground).
/// </summary>
/// <remarks>
/// In the foreground the container's output lines are written to the Output stream as they
/// are produced, $LASTEXITCODE is set to its exit code and, when
/// $PSNativeCommandUseErrorActionPreference is $true, a non-zero exit code is an error
/// (ContainerExitCode), as for native commands. With -Interactive, pipeline input objects
/// become the container's standard input, one line each, as they arrive.
/// </remarks>
[Cmdlet(VerbsLifecycle.Start, "Container", DefaultParameterSetName = InputObjectSet,
    SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(string), typeof(Container))]
public sealed class StartContainerCommand : ContainerCreateCmdlet
{
    private const string NameSet = "Name";
    private const string IdSet = "Id";
    private const string InputObjectSet = "InputObject";

    private bool _imageOnCommandLine;
    private bool _ran;
    private bool _warnedInputIgnored;
    private AttachSession? _session;
    private Container? _sessionContainer;
    private ConsoleTerminal? _terminal;
    private byte[]? _detachKeys;

    /// <summary>The image to run: a name, an ID, or an Image object (Get-Image, Invoke-ContainerBuild).</summary>
    [Parameter(ParameterSetName = ImageSet, Mandatory = true, Position = 0, ValueFromPipeline = true)]
    [ImageTransformation]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ImageReferenceCompleter))]
    public string Image { get; set; } = "";

    /// <summary>
    /// With an image: the new container's name. Otherwise: the existing containers to start
    /// (names, IDs or unique ID prefixes; wildcards allowed).
    /// </summary>
    [Parameter(ParameterSetName = ImageSet)]
    [Parameter(ParameterSetName = NameSet, Mandatory = true, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ContainerNameCompleter))]
    public string[]? Name { get; set; }

    /// <summary>IDs or unique ID prefixes of existing containers to start.</summary>
    [Parameter(ParameterSetName = IdSet, Mandatory = true, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ContainerIdCompleter))]
    public string[] Id { get; set; } = Array.Empty<string>();

    /// <summary>Existing containers to start, from Get-Container or New-Container.</summary>
    [Parameter(ParameterSetName = InputObjectSet, Mandatory = true, ValueFromPipeline = true)]
    [ValidateNotNull]
    public Container[] InputObject { get; set; } = Array.Empty<Container>();

    /// <summary>Lines for the container's standard input with -Interactive: the pipeline input.</summary>
    [Parameter(ParameterSetName = ImageSet, ValueFromPipeline = true)]
    [Alias("Stdin")]
    [StandardInputTransformation]
    [AllowEmptyString]
    [AllowEmptyCollection]
    [AllowNull]
    public string[]? StandardInput { get; set; }

    /// <summary>Runs the container in the background and writes the Container (docker run -d).</summary>
    [Parameter(ParameterSetName = ImageSet)]
    [Alias("d")]
    public SwitchParameter Detach { get; set; }

    /// <summary>Follows the started containers' output until they exit (docker start -a).</summary>
    [Parameter(ParameterSetName = NameSet)]
    [Parameter(ParameterSetName = IdSet)]
    [Parameter(ParameterSetName = InputObjectSet)]
    [Alias("a")]
    public SwitchParameter Attach { get; set; }

    /// <summary>
    /// The keys that detach from an interactive TTY container and leave it running, as
    /// Docker writes them (default "ctrl-p,ctrl-q"; e.g. "ctrl-x,x").
    /// </summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? DetachKeys { get; set; }

    /// <summary>Writes the Container after it started (in the foreground: after it exited).</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void BeginProcessing()
    {
        _imageOnCommandLine = MyInvocation.BoundParameters.ContainsKey(nameof(Image));
        _detachKeys = ParseDetachKeys(DetachKeys);
    }

    protected override void ProcessRecord()
    {
        switch (ParameterSetName)
        {
            case ImageSet:
                ProcessImageSet();
                break;
            case IdSet:
                foreach (var (c, target) in ResolveIds(Id)) StartExisting(c, target);
                break;
            case NameSet:
                foreach (var (c, target) in ResolveNames(Name!)) StartExisting(c, target);
                break;
            default:
                foreach (var c in InputObject) StartExisting(c, c);
                break;
        }
    }

    protected override void EndProcessing()
    {
        if (ParameterSetName != ImageSet) return;
        if (_session is not null)
        {
            FinishForeground(_session, _sessionContainer!);
            return;
        }
        // Pipeline input was expected but none came: run once, with empty standard input.
        if (_imageOnCommandLine && !_ran) Run(Interactive && !Detach ? new PipelineInputStream() : null);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _session?.Dispose();
            ReleaseTerminal(detached: false);
        }
        base.Dispose(disposing);
    }

    // --- docker run ---------------------------------------------------------------------

    private void ProcessImageSet()
    {
        if (!_imageOnCommandLine)
        {
            // The pipeline brings images (Get-Image | Start-Container): each is one run.
            Run(stdin: null);
            return;
        }

        if (_ran)
        {
            if (_session is not null) Feed(_session);
            else if (!Interactive && !_warnedInputIgnored)
            {
                _warnedInputIgnored = true;
                WriteWarning("Pipeline input is not passed to the container without -Interactive.");
            }
            return;
        }

        if (Interactive && MyInvocation.ExpectingInput && !Detach)
        {
            // Input objects become standard input as they arrive: start now, finish at the end.
            var stdin = new PipelineInputStream();
            Run(stdin, keepOpen: true);
            if (_session is not null) Feed(_session);
            return;
        }

        Run(stdin: null);
    }

    private void Feed(AttachSession session)
    {
        if (session.Stdin is PipelineInputStream input && StandardInput is not null)
            foreach (var line in StandardInput) input.WriteLine(line ?? "");
        session.Drain();
    }

    /// <summary>
    /// Creates and starts a container from the bound image. With <paramref name="keepOpen"/>,
    /// the foreground attach stays in <see cref="_session"/> for the pipeline input to come.
    /// </summary>
    private void Run(Stream? stdin, bool keepOpen = false)
    {
        _ran = true;
        var name = Name is { Length: > 0 } names ? names[0] : null;
        if (Name is { Length: > 1 })
        {
            stdin?.Dispose();
            WriteError(NewError(new ArgumentException("A new container has one name; give -Name once."),
                "TooManyNames", ErrorCategory.InvalidArgument, Name));
            return;
        }

        var foreground = !Detach;
        var attach = foreground && (Interactive || Tty);
        if (attach && Tty && !HasTerminal())
        {
            stdin?.Dispose();
            ThrowTerminatingError(NoConsoleError(Image));
        }

        var action = name is null ? $"Create and start a container from image '{Image}'" : $"Create and start container '{name}' from image '{Image}'";
        if (!ShouldProcess(Image, action))
        {
            stdin?.Dispose();
            return;
        }

        var options = BuildOptions(Image, name);
        // In the foreground without attaching, the output is read from the container's log
        // and -AutoRemove is done here once the exit code is known (as the docker CLI once
        // did): an engine-side removal could take the log away before it was read.
        var removeAfterExit = foreground && !attach && options.AutoRemove;
        var target = (object?)name ?? Image;
        Container container;
        try
        {
            options.Validate(); // with AutoRemove as given: it conflicts with restart policies
            if (removeAfterExit) options.AutoRemove = false;
            container = RunEngine($"Starting a container from {Image}",
                _ => Task.Run(() => Containers.Run(options, waitForAttach: attach)));
        }
        catch (ContainerStartException e)
        {
            stdin?.Dispose();
            SetLastExitCode(e.ExitCode);
            if (removeAfterExit) RemoveQuietly(name ?? e.Target as string);
            ThrowEngineError(e, target);
            return;
        }
        catch (Exception e) when (ErrorMapping.IsReportable(e))
        {
            stdin?.Dispose();
            // docker run exits 125 when the container cannot even be created.
            SetLastExitCode(125);
            WriteEngineError(e, target);
            return;
        }

        if (!foreground)
        {
            WriteObject(container);
            return;
        }

        if (!attach)
        {
            FollowLog(container, since: null, removeAfterExit);
            return;
        }

        var session = BeginAttach(container, stdin);
        if (keepOpen)
        {
            _session = session;
            _sessionContainer = container;
            return;
        }
        FinishForeground(session, container);
    }

    // --- docker start -------------------------------------------------------------------

    private void StartExisting(Container container, object target)
    {
        var foreground = Attach || Interactive;
        var attach = foreground && (Interactive || container.Tty);
        if (attach && container.Tty && !HasTerminal())
        {
            WriteError(NoConsoleError(target));
            return;
        }
        if (!ShouldProcess(Describe(container), foreground ? "Start container and attach to it" : "Start container")) return;

        var since = DateTimeOffset.UtcNow;
        if (!TryEngine(() => Containers.Start(container.Id, waitForAttach: attach), target, out var started)) return;
        if (!foreground)
        {
            if (PassThru) WriteObject(started);
        }
        else if (attach)
        {
            FinishForeground(BeginAttach(started, pipelineInput: null), started);
        }
        else
        {
            FollowLog(started, since, removeAfterExit: false);
        }
    }

    // --- the foreground -------------------------------------------------------------------

    /// <summary>
    /// Writes the container's log lines (stdout and stderr, as strings) while it runs, then
    /// its exit code to $LASTEXITCODE; removes it afterwards for a foreground -AutoRemove.
    /// </summary>
    private void FollowLog(Container container, DateTimeOffset? since, bool removeAfterExit)
    {
        var options = new LogReadOptions { Follow = true, Since = since };
        int exitCode;
        try
        {
            exitCode = RunEngine($"Running {container.Name}", async context =>
            {
                await foreach (var line in Containers.ReadLogsAsync(container.Id, options, context.CancellationToken).ConfigureAwait(false))
                    context.WriteObject(OutputLine.Create(line.Text, line.Stream));
                return await Containers.WaitAsync(container.Id, context.CancellationToken).ConfigureAwait(false);
            });
        }
        catch (Exception e) when (ErrorMapping.IsReportable(e))
        {
            ThrowEngineError(e, container);
            return;
        }

        Containers.TryGet(container.Id, out var after);
        if (removeAfterExit) RemoveQuietly(container.Id);
        AfterExit(container, after, exitCode);
    }

    /// <summary>
    /// Attaches to a container started for it. A TTY container gets this console: in raw mode
    /// when it reads the keys (-Interactive without pipeline input), its window size and
    /// resizes forwarded; <see cref="FinishForeground"/> gives the console back.
    /// </summary>
    private AttachSession BeginAttach(Container container, Stream? pipelineInput)
    {
        if (!container.Tty)
        {
            var stdin = pipelineInput;
            if (stdin is null && Interactive)
            {
                // The console's typed lines where there is one; else end of file at once, so a
                // container reading stdin cannot hang a host that has nobody to type.
                if (ConsoleTerminal.HasInput(Host))
                {
                    _terminal = OpenConsoleLines(container);
                    stdin = _terminal.Input;
                }
                else
                {
                    stdin = Stream.Null;
                }
            }
            return AttachSession.Begin(this, Containers, container, stdin, terminal: null, detachKeys: null, CancellationToken);
        }

        var keys = Interactive && pipelineInput is null;
        _terminal = OpenConsole(keys, container);
        try
        {
            return AttachSession.Begin(this, Containers, container, keys ? _terminal.Input : pipelineInput,
                _terminal, keys ? _detachKeys : null, CancellationToken);
        }
        catch
        {
            ReleaseTerminal(detached: false);
            throw;
        }
    }

    /// <summary>Gives the console back (in the mode it was in), after a detach on a line of its own.</summary>
    private void ReleaseTerminal(bool detached)
    {
        if (_terminal is null) return;
        if (detached)
        {
            try { _terminal.Output.Write("\r\n"u8); } catch (IOException) { }
        }
        _terminal.Dispose();
        _terminal = null;
    }

    /// <summary>Writes the attached output until the container exits, then reports as <see cref="AfterExit"/>.</summary>
    private void FinishForeground(AttachSession session, Container container)
    {
        int? exitCode = null;
        var finished = false;
        try
        {
            exitCode = session.Finish();
            finished = true;
        }
        catch (Exception e) when (ErrorMapping.IsReportable(e))
        {
            ThrowEngineError(e, container);
            return;
        }
        finally
        {
            session.Dispose();
            if (ReferenceEquals(session, _session)) _session = null;
            ReleaseTerminal(detached: finished && exitCode is null);
        }

        if (exitCode is not { } code)
        {
            // Detached (ctrl-p ctrl-q): the container runs on.
            WriteVerbose($"Detached from container {container.Name}; it keeps running.");
            if (PassThru && Containers.TryGet(container.Id, out var running)) WriteObject(running);
            return;
        }

        Containers.TryGet(container.Id, out var after); // gone when it removed itself (-AutoRemove)
        AfterExit(container, after, code);
    }

    /// <summary>
    /// $LASTEXITCODE, a failed start as a terminating error, a non-zero exit code as an error
    /// when $PSNativeCommandUseErrorActionPreference is $true, and -PassThru.
    /// </summary>
    private void AfterExit(Container container, Container? after, int code)
    {
        SetLastExitCode(code);

        // A container held before exec until we attached cannot fail Start: when it could not
        // exec (no such executable, bad working directory...) it exits 125-127 and says why.
        if (after?.Error is { } reason && code is >= 125 and <= 127)
            ThrowEngineError(new ContainerStartException(container.Name, reason, code), container);

        if (code != 0 && NativeCommandErrorsAreErrors())
        {
            WriteError(NewError(
                new InvalidOperationException($"Container {container.Name} exited with code {code}."),
                "ContainerExitCode", ErrorCategory.InvalidResult, after ?? container));
        }

        if (PassThru)
        {
            WriteObject(after ?? container with
            {
                State = ContainerStatus.Exited,
                ExitCode = code,
                Status = $"Exited ({code}) Less than a second ago",
                Pid = 0,
            });
        }
    }

    /// <summary>Removes a container this command ran with -AutoRemove; a failure is an error, not the end.</summary>
    private void RemoveQuietly(string? nameOrId)
    {
        if (nameOrId is null) return;
        TryRun($"Removing {nameOrId}", token => Containers.RemoveAsync(nameOrId, force: true, removeVolumes: true, token), nameOrId, out _);
    }

    /// <summary>A real terminal for a TTY: the host has a console and neither stdin nor stdout is redirected.</summary>
    private bool HasTerminal() => ConsoleTerminal.IsAvailable(Host);

    private static ErrorRecord NoConsoleError(object target) =>
        ConsoleTerminal.NoConsoleError("-Tty (run it without -Tty, or with -Detach)", target);

    /// <summary>$PSNativeCommandUseErrorActionPreference: treat a non-zero exit code as an error.</summary>
    private bool NativeCommandErrorsAreErrors()
    {
        var value = SessionState.PSVariable.GetValue("PSNativeCommandUseErrorActionPreference");
        return value is not null && LanguagePrimitives.IsTrue(value);
    }
}
