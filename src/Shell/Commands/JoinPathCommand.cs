// Stand-in for the PowerShell cmdlet of the same name. It exists only because the
// Microsoft.PowerShell.Utility / Microsoft.PowerShell.Management modules are not available as
// NuGet packages here; ShellSessionState registers it only when the session has no real
// command of that name, and under a real pwsh the real cmdlet is used.
using System.Management.Automation;

namespace ContainerPS.Shell.Commands;

[Cmdlet(VerbsCommon.Join, "Path")]
[OutputType(typeof(string))]
public sealed class JoinPathCommand : PSCmdlet
{
    [Parameter(Position = 0, Mandatory = true, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath")]
    public string[] Path { get; set; } = Array.Empty<string>();

    [Parameter(Position = 1, ValueFromPipelineByPropertyName = true)]
    [AllowNull]
    [AllowEmptyString]
    public string? ChildPath { get; set; }

    [Parameter(Position = 2, ValueFromRemainingArguments = true, ValueFromPipelineByPropertyName = true)]
    [AllowNull]
    [AllowEmptyString]
    public string[]? AdditionalChildPath { get; set; }

    [Parameter]
    public SwitchParameter Resolve { get; set; }

    protected override void ProcessRecord()
    {
        foreach (string path in Path)
        {
            string joined = SessionState.Path.Combine(path, ChildPath ?? string.Empty);
            foreach (string child in AdditionalChildPath ?? Array.Empty<string>())
            {
                joined = SessionState.Path.Combine(joined, child ?? string.Empty);
            }

            if (!Resolve)
            {
                WriteObject(joined);
                continue;
            }

            try
            {
                foreach (PathInfo resolved in SessionState.Path.GetResolvedPSPathFromPSPath(joined))
                {
                    WriteObject(resolved.ProviderPath);
                }
            }
            catch (Exception e) when (ProviderErrors.IsPathError(e))
            {
                WriteError(ProviderErrors.ToRecord(e, "PathNotFound", joined));
            }
        }
    }
}
