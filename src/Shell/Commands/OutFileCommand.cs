// Stand-in for the PowerShell cmdlet of the same name. It exists only because the
// Microsoft.PowerShell.Utility / Microsoft.PowerShell.Management modules are not available as
// NuGet packages here; ShellSessionState registers it only when the session has no real
// command of that name, and under a real pwsh the real cmdlet is used.
using Microsoft.PowerShell.Commands.Internal.Format;
using System.Management.Automation;
using System.Text;

namespace ContainerPS.Shell.Commands;

/// <summary>
/// Out-File on PowerShell's own formatting engine (see <see cref="FormattingEngine"/>).
/// Also what the engine runs for the <c>&gt;</c> and <c>&gt;&gt;</c> redirection operators.
/// </summary>
[Cmdlet(VerbsData.Out, "File", DefaultParameterSetName = "ByPath", SupportsShouldProcess = true)]
public sealed class OutFileCommand : FrontEndCommandBase
{
    private const int DefaultWidth = 120;
    private StreamWriter? _stream;

    public OutFileCommand() => FormattingEngine.UseOutputManager(this);

    [Parameter(Mandatory = true, Position = 0, ParameterSetName = "ByPath")]
    [Alias("Path")]
    public string FilePath { get; set; } = string.Empty;

    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = "ByLiteralPath")]
    [Alias("PSPath", "LP")]
    public string LiteralPath { get; set; } = string.Empty;

    [Parameter(Position = 1)]
    [ValidateSet("utf8", "utf8NoBOM", "utf8BOM", "ascii", "unicode", "utf32", "default", "oem", IgnoreCase = true)]
    public string Encoding { get; set; } = "utf8NoBOM";

    [Parameter]
    public SwitchParameter Append { get; set; }

    [Parameter]
    public SwitchParameter Force { get; set; }

    [Parameter]
    [Alias("NoOverwrite")]
    public SwitchParameter NoClobber { get; set; }

    [Parameter]
    [ValidateRange(2, int.MaxValue)]
    public int Width { get; set; }

    [Parameter]
    public SwitchParameter NoNewline { get; set; }

    protected override void BeginProcessing()
    {
        string path = ParameterSetName == "ByLiteralPath" ? LiteralPath : FilePath;
        string target = SessionState.Path.GetUnresolvedProviderPathFromPSPath(path);
        if (!ShouldProcess(target, "Output to File"))
        {
            return;
        }

        if (NoClobber && !Append && File.Exists(target))
        {
            ThrowTerminatingError(new ErrorRecord(
                new IOException($"The file '{target}' already exists."),
                "NoClobber",
                ErrorCategory.ResourceExists,
                target));
        }

        try
        {
            _stream = new StreamWriter(target, Append, ToEncoding(Encoding)) { NewLine = "\n" };
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            ThrowTerminatingError(ProviderErrors.ToRecord(e, "FileOpenFailure", target));
        }

        int width = MyInvocation.BoundParameters.ContainsKey(nameof(Width)) ? Width : HostWidth();
        FormattingEngine.SetLineOutput(this, _stream!, width, NoNewline);
        base.BeginProcessing();
    }

    protected override void ProcessRecord()
    {
        if (_stream is not null)
        {
            base.ProcessRecord();
        }
    }

    protected override void EndProcessing()
    {
        if (_stream is null)
        {
            return;
        }

        try
        {
            base.EndProcessing();
        }
        finally
        {
            _stream.Dispose();
            _stream = null;
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _stream?.Dispose();
            _stream = null;
        }

        base.Dispose(disposing);
    }

    /// <summary>The console width, or 120 in hosts without a console (as pwsh's Out-File).</summary>
    private int HostWidth()
    {
        try
        {
            int width = Host.UI.RawUI.BufferSize.Width;
            return width > 0 ? width : DefaultWidth;
        }
        catch (Exception e) when (e is System.Management.Automation.Host.HostException or NotImplementedException or NullReferenceException)
        {
            return DefaultWidth;
        }
    }

    private static Encoding ToEncoding(string name) => name.ToLowerInvariant() switch
    {
        "utf8bom" => new UTF8Encoding(encoderShouldEmitUTF8Identifier: true),
        "ascii" => System.Text.Encoding.ASCII,
        "unicode" => System.Text.Encoding.Unicode,
        "utf32" => System.Text.Encoding.UTF32,
        _ => new UTF8Encoding(encoderShouldEmitUTF8Identifier: false),
    };
}
