// Stand-in for the PowerShell cmdlet of the same name. It exists only because the
// Microsoft.PowerShell.Utility / Microsoft.PowerShell.Management modules are not available as
// NuGet packages here; ShellSessionState registers it only when the session has no real
// command of that name, and under a real pwsh the real cmdlet is used.
using System.Management.Automation;

namespace ContainerPS.Shell.Commands;

/// <summary>Get-Content for FileSystem paths: lines (or one string with -Raw), UTF-8.</summary>
[Cmdlet(VerbsCommon.Get, "Content", DefaultParameterSetName = "Path")]
[OutputType(typeof(string))]
public sealed class GetContentCommand : PSCmdlet
{
    [Parameter(Position = 0, Mandatory = true, ParameterSetName = "Path", ValueFromPipelineByPropertyName = true)]
    public string[] Path { get; set; } = Array.Empty<string>();

    [Parameter(Mandatory = true, ParameterSetName = "LiteralPath", ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath", "LP")]
    public string[] LiteralPath { get; set; } = Array.Empty<string>();

    [Parameter]
    [Alias("First", "Head")]
    public long TotalCount { get; set; } = -1;

    [Parameter]
    [Alias("Last")]
    public int Tail { get; set; } = -1;

    [Parameter]
    public SwitchParameter Raw { get; set; }

    protected override void ProcessRecord()
    {
        bool literal = ParameterSetName == "LiteralPath";
        foreach (string path in literal ? LiteralPath : Path)
        {
            foreach (string file in Resolve(path, literal))
            {
                try
                {
                    Read(file);
                }
                catch (Exception e) when (ProviderErrors.IsPathError(e))
                {
                    WriteError(ProviderErrors.ToRecord(e, "GetContentReaderError", file));
                }
            }
        }
    }

    private IEnumerable<string> Resolve(string path, bool literal)
    {
        try
        {
            if (literal)
            {
                return new[] { SessionState.Path.GetUnresolvedProviderPathFromPSPath(path) };
            }

            return SessionState.Path.GetResolvedProviderPathFromPSPath(path, out _);
        }
        catch (Exception e) when (ProviderErrors.IsPathError(e))
        {
            WriteError(ProviderErrors.ToRecord(e, "PathNotFound", path));
            return Array.Empty<string>();
        }
    }

    private void Read(string file)
    {
        if (Directory.Exists(file))
        {
            WriteError(new ErrorRecord(
                new UnauthorizedAccessException($"Unable to get content because it is a directory: '{file}'. Please use 'Get-ChildItem' instead."),
                "GetContentDirectoryError",
                ErrorCategory.InvalidOperation,
                file));
            return;
        }

        if (!System.IO.File.Exists(file))
        {
            throw new ItemNotFoundException($"Cannot find path '{file}' because it does not exist.");
        }

        if (Raw)
        {
            WriteObject(System.IO.File.ReadAllText(file));
            return;
        }

        if (Tail >= 0)
        {
            var last = new Queue<string>();
            foreach (string line in System.IO.File.ReadLines(file))
            {
                last.Enqueue(line);
                if (last.Count > Tail)
                {
                    last.Dequeue();
                }
            }

            foreach (string line in last)
            {
                WriteObject(line);
            }

            return;
        }

        long count = 0;
        foreach (string line in System.IO.File.ReadLines(file))
        {
            if (TotalCount >= 0 && count++ >= TotalCount)
            {
                break;
            }

            WriteObject(line);
        }
    }
}
