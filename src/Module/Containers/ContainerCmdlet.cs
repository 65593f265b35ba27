using System.Management.Automation;
using ContainerPS.Engine.Containers;
using ContainerPS.Engine.Errors;
using ContainerPS.Engine.Store;
using ContainerPS.Module.Infrastructure;

namespace ContainerPS.Module.Containers;

/// <summary>
/// Base of the container cmdlets: the <see cref="ContainerManager"/> for the store at
/// $env:CONTAINERPS_ROOT, name/ID/wildcard resolution with one ObjectNotFound error per name
/// that matches nothing, and engine calls that report per item.
/// </summary>
public abstract class ContainerCmdlet : EngineCmdlet
{
    private ContainerManager? _containers;
    private IReadOnlyList<Container>? _listed;

    /// <summary>The containers of the store at the engine's default root.</summary>
    protected ContainerManager Containers
    {
        get
        {
            if (_containers is null)
            {
                try
                {
                    _containers = ContainerManager.Open();
                }
                catch (Exception e) when (ErrorMapping.IsReportable(e))
                {
                    ThrowEngineError(e, System.Environment.GetEnvironmentVariable(StoreLayout.RootVariable) ?? StoreLayout.DefaultRoot);
                }
            }
            return _containers;
        }
    }

    /// <summary>
    /// Every container, all states, newest first; read once per pipeline object so wildcard
    /// matching sees a consistent picture (and changes made by earlier objects).
    /// </summary>
    protected IReadOnlyList<Container> ListAll()
    {
        _listed ??= TryEngine(() => Containers.List(all: true), null, out var listed) ? listed : Array.Empty<Container>();
        return _listed;
    }

    /// <summary>Forgets the listing <see cref="ListAll"/> cached, so the next call reads the store again.</summary>
    protected void ForgetListing() => _listed = null;

    /// <summary>
    /// The containers <paramref name="names"/> stand for: wildcards match container names
    /// (no match is no error, as for Get-ChildItem); a plain value is resolved as Docker does
    /// (exact name, full ID, unique ID prefix) and writes ObjectNotFound (ContainerNotFound)
    /// when nothing has it.
    /// </summary>
    protected List<(Container Container, object Target)> ResolveNames(IEnumerable<string> names)
    {
        var result = new List<(Container, object)>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var name in names)
        {
            if (WildcardPattern.ContainsWildcardCharacters(name))
            {
                var pattern = Pattern(name);
                foreach (var c in ListAll().Where(c => pattern.IsMatch(c.Name)))
                    if (seen.Add(c.Id)) result.Add((c, c));
                continue;
            }

            if (TryEngine(() => Containers.Get(name), name, out var found) && seen.Add(found.Id)) result.Add((found, name));
        }
        return result;
    }

    /// <summary>
    /// The containers with these IDs: full IDs or unique prefixes (never names), wildcards
    /// over the full ID. ObjectNotFound for a plain ID that no container has.
    /// </summary>
    protected List<(Container Container, object Target)> ResolveIds(IEnumerable<string> ids)
    {
        var result = new List<(Container, object)>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var id in ids)
        {
            if (WildcardPattern.ContainsWildcardCharacters(id))
            {
                var pattern = Pattern(id);
                foreach (var c in ListAll().Where(c => pattern.IsMatch(c.Id)))
                    if (seen.Add(c.Id)) result.Add((c, c));
                continue;
            }

            var prefix = id.Trim();
            var matches = ListAll().Where(c => prefix.Length > 0 && c.Id.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)).ToList();
            if (matches.Count == 1)
            {
                if (seen.Add(matches[0].Id)) result.Add((matches[0], id));
            }
            else if (matches.Count > 1)
            {
                WriteEngineError(new ConflictException("AmbiguousContainerId",
                    $"multiple containers found with provided prefix: {id}", id, ErrorKind.InvalidArgument), id);
            }
            else
            {
                WriteNotFound(id);
            }
        }
        return result;
    }

    /// <summary>Writes the non-terminating ObjectNotFound error for a container that does not exist.</summary>
    protected void WriteNotFound(string nameOrId) =>
        WriteEngineError(new NotFoundException("ContainerNotFound", $"No such container: {nameOrId}", nameOrId), nameOrId);

    /// <summary>
    /// Runs one asynchronous engine call for one item (Ctrl+C cancels it) and reports its
    /// failure as a non-terminating error for <paramref name="target"/>.
    /// </summary>
    protected bool TryRun<T>(string activity, Func<CancellationToken, Task<T>> operation, object? target, out T result) =>
        TryStream(activity, context => operation(context.CancellationToken), target, out result);

    /// <summary>
    /// As <see cref="TryRun{T}"/> for an operation that writes objects as it goes
    /// (<see cref="EngineContext.WriteObject"/>: a followed log streams line by line).
    /// </summary>
    protected bool TryStream<T>(string activity, Func<EngineContext, Task<T>> operation, object? target, out T result)
    {
        try
        {
            result = RunEngine(activity, operation);
            return true;
        }
        catch (Exception e) when (ErrorMapping.IsReportable(e))
        {
            WriteEngineError(e, target);
            result = default!;
            return false;
        }
    }

    /// <summary>-DetachKeys as bytes (default ctrl-p ctrl-q); a bad key stops the command (InvalidDetachKeys).</summary>
    protected byte[] ParseDetachKeys(string? keys)
    {
        try
        {
            return DetachKeys.Parse(keys);
        }
        catch (EngineException e)
        {
            ThrowEngineError(e, keys);
            return null!;
        }
    }

    /// <summary>
    /// Takes over the console for an interactive session (<see cref="ConsoleTerminal.Open"/>);
    /// a terminal whose settings cannot be changed stops the command (TerminalSetupFailed).
    /// </summary>
    private protected ConsoleTerminal OpenConsole(bool input, object target) => OpenConsole(() => ConsoleTerminal.Open(input), target);

    /// <summary>As <see cref="OpenConsole(bool, object)"/> with typed lines for a container without a TTY (<see cref="ConsoleTerminal.OpenLines"/>).</summary>
    private protected ConsoleTerminal OpenConsoleLines(object target) => OpenConsole(ConsoleTerminal.OpenLines, target);

    private ConsoleTerminal OpenConsole(Func<ConsoleTerminal> open, object target)
    {
        try
        {
            return open();
        }
        catch (IOException e)
        {
            ThrowTerminatingError(new ErrorRecord(e, "TerminalSetupFailed", ErrorCategory.DeviceError, target));
            throw;
        }
    }

    /// <summary>"web (3f4e5a6b7c8d)", for ShouldProcess and messages.</summary>
    protected static string Describe(Container container) => $"{container.Name} ({container.ShortId})";

    /// <summary>
    /// Sets $global:LASTEXITCODE, as a native command does, so scripts can test the exit code
    /// of a container run in the foreground.
    /// </summary>
    protected void SetLastExitCode(int exitCode) =>
        SessionState.PSVariable.Set("global:LASTEXITCODE", exitCode);

    private static WildcardPattern Pattern(string text) =>
        new(text, WildcardOptions.IgnoreCase | WildcardOptions.CultureInvariant);
}
