// Stand-in for the PowerShell cmdlet of the same name. It exists only because the
// Microsoft.PowerShell.Utility / Microsoft.PowerShell.Management modules are not available as
// NuGet packages here; ShellSessionState registers it only when the session has no real
// command of that name, and under a real pwsh the real cmdlet is used.
using Microsoft.PowerShell.Commands.Internal.Format;
using System.Management.Automation;
using System.Text;

namespace ContainerPS.Shell.Commands;

/// <summary>Out-String on PowerShell's own formatting engine (see <see cref="FormattingEngine"/>).</summary>
[Cmdlet(VerbsData.Out, "String", DefaultParameterSetName = "NoNewLineFormatting")]
[OutputType(typeof(string))]
public sealed class OutStringCommand : FrontEndCommandBase
{
    private readonly StringBuilder _buffer = new();
    private LineCallbackWriter? _writer;

    public OutStringCommand() => FormattingEngine.UseOutputManager(this);

    [Parameter(ParameterSetName = "StreamFormatting")]
    public SwitchParameter Stream { get; set; }

    [Parameter]
    [ValidateRange(2, int.MaxValue)]
    public int Width { get; set; }

    [Parameter(ParameterSetName = "NoNewLineFormatting")]
    public SwitchParameter NoNewline { get; set; }

    protected override void BeginProcessing()
    {
        _writer = new LineCallbackWriter(OnLine);
        // Like pwsh 7: without -Width the text is not wrapped to the console width.
        int width = MyInvocation.BoundParameters.ContainsKey(nameof(Width)) ? Width : int.MaxValue;
        FormattingEngine.SetLineOutput(this, _writer, width);
        base.BeginProcessing();
    }

    protected override void ProcessRecord()
    {
        base.ProcessRecord();
        _writer?.Flush();
    }

    protected override void EndProcessing()
    {
        base.EndProcessing();
        _writer?.Flush();
        if (!Stream)
        {
            WriteObject(_buffer.ToString());
        }
    }

    private void OnLine(string line)
    {
        if (Stream)
        {
            WriteObject(line);
        }
        else if (NoNewline)
        {
            _buffer.Append(line);
        }
        else
        {
            _buffer.Append(line).Append('\n');
        }
    }
}
