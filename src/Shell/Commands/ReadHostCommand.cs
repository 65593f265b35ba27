// Stand-in for the PowerShell cmdlet of the same name. It exists only because the
// Microsoft.PowerShell.Utility / Microsoft.PowerShell.Management modules are not available as
// NuGet packages here; ShellSessionState registers it only when the session has no real
// command of that name, and under a real pwsh the real cmdlet is used.
using System.Collections;
using System.Management.Automation;

namespace ContainerPS.Shell.Commands;

[Cmdlet(VerbsCommunications.Read, "Host", DefaultParameterSetName = "AsString")]
[OutputType(typeof(string), typeof(System.Security.SecureString))]
public sealed class ReadHostCommand : PSCmdlet
{
    [Parameter(Position = 0, ValueFromRemainingArguments = true)]
    [AllowNull]
    public object? Prompt { get; set; }

    [Parameter(ParameterSetName = "AsSecureString")]
    public SwitchParameter AsSecureString { get; set; }

    [Parameter(ParameterSetName = "AsString")]
    public SwitchParameter MaskInput { get; set; }

    protected override void BeginProcessing()
    {
        string? prompt = Prompt switch
        {
            null => null,
            string s => s,
            IEnumerable items => string.Join(" ", items.Cast<object?>().Select(i => i?.ToString())),
            _ => Prompt.ToString(),
        };
        if (!string.IsNullOrEmpty(prompt))
        {
            Host.UI.Write(prompt + ": ");
        }

        if (AsSecureString)
        {
            WriteObject(Host.UI.ReadLineAsSecureString());
        }
        else if (MaskInput)
        {
            WriteObject(new System.Net.NetworkCredential(string.Empty, Host.UI.ReadLineAsSecureString()).Password);
        }
        else
        {
            WriteObject(Host.UI.ReadLine());
        }
    }
}
