// Stand-in for the PowerShell cmdlet of the same name. It exists only because the
// Microsoft.PowerShell.Utility / Microsoft.PowerShell.Management modules are not available as
// NuGet packages here; ShellSessionState registers it only when the session has no real
// command of that name, and under a real pwsh the real cmdlet is used.
using System.Management.Automation;

namespace ContainerPS.Shell.Commands;

[Cmdlet(VerbsCommon.New, "Item", SupportsShouldProcess = true)]
public sealed class NewItemCommand : PSCmdlet
{
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    public string[] Path { get; set; } = new[] { "." };

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [AllowNull]
    [AllowEmptyString]
    public string? Name { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("Type")]
    public string? ItemType { get; set; }

    [Parameter(ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("Target")]
    public object? Value { get; set; }

    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override void ProcessRecord()
    {
        foreach (string path in Path)
        {
            string shown = string.IsNullOrEmpty(Name) ? path : SessionState.Path.Combine(path, Name);
            if (!ShouldProcess($"Destination: {shown}", $"Create {ItemType ?? "File"}"))
            {
                continue;
            }

            try
            {
                string type = ItemType ?? "File";
                object? content = Value is PSObject pso ? pso.BaseObject : Value;
                foreach (PSObject item in SessionState.InvokeProvider.Item.New(new[] { path }, Name, type, content, Force))
                {
                    WriteObject(item);
                }
            }
            catch (Exception e) when (ProviderErrors.IsPathError(e))
            {
                WriteError(ProviderErrors.ToRecord(e, "NewItemFailed", shown));
            }
        }
    }
}
