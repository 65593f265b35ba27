// Stand-in for the PowerShell cmdlet of the same name. It exists only because the
// Microsoft.PowerShell.Utility / Microsoft.PowerShell.Management modules are not available as
// NuGet packages here; ShellSessionState registers it only when the session has no real
// command of that name, and under a real pwsh the real cmdlet is used.
using System.Management.Automation;
using System.Text;

namespace ContainerPS.Shell.Commands;

/// <summary>Set-Content for FileSystem paths: each value on its own line, UTF-8 without BOM (pwsh 7's default).</summary>
[Cmdlet(VerbsCommon.Set, "Content", DefaultParameterSetName = "Path", SupportsShouldProcess = true)]
public sealed class SetContentCommand : PSCmdlet
{
    private readonly List<object?> _values = new();

    [Parameter(Position = 0, Mandatory = true, ParameterSetName = "Path", ValueFromPipelineByPropertyName = true)]
    public string[] Path { get; set; } = Array.Empty<string>();

    [Parameter(Mandatory = true, ParameterSetName = "LiteralPath", ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath", "LP")]
    public string[] LiteralPath { get; set; } = Array.Empty<string>();

    [Parameter(Position = 1, Mandatory = true, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [AllowNull]
    [AllowEmptyCollection]
    public object?[]? Value { get; set; }

    [Parameter]
    public SwitchParameter NoNewline { get; set; }

    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override void ProcessRecord()
    {
        if (Value is null)
        {
            _values.Add(null);
            return;
        }

        _values.AddRange(Value);
    }

    protected override void EndProcessing()
    {
        var text = new StringBuilder();
        foreach (object? value in _values)
        {
            text.Append(value is null ? string.Empty : LanguagePrimitives.ConvertTo<string>(value));
            if (!NoNewline)
            {
                text.Append('\n');
            }
        }

        bool literal = ParameterSetName == "LiteralPath";
        foreach (string path in literal ? LiteralPath : Path)
        {
            string target;
            try
            {
                target = SessionState.Path.GetUnresolvedProviderPathFromPSPath(path);
            }
            catch (Exception e) when (ProviderErrors.IsPathError(e))
            {
                WriteError(ProviderErrors.ToRecord(e, "PathNotFound", path));
                continue;
            }

            if (!ShouldProcess(target, "Set Content"))
            {
                continue;
            }

            try
            {
                if (Force && System.IO.File.Exists(target))
                {
                    System.IO.File.SetAttributes(target, System.IO.File.GetAttributes(target) & ~FileAttributes.ReadOnly);
                }

                System.IO.File.WriteAllText(target, text.ToString(), new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
            }
            catch (Exception e) when (ProviderErrors.IsPathError(e))
            {
                WriteError(ProviderErrors.ToRecord(e, "SetContentWriterError", target));
            }
        }
    }
}
