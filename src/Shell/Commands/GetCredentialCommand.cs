// Stand-in for the PowerShell cmdlet of the same name. It exists only because the
// Microsoft.PowerShell.Utility / Microsoft.PowerShell.Management modules are not available as
// NuGet packages here; ShellSessionState registers it only when the session has no real
// command of that name, and under a real pwsh the real cmdlet is used.
using System.Management.Automation;

namespace ContainerPS.Shell.Commands;

/// <summary>Get-Credential (from Microsoft.PowerShell.Security, also absent): prompts through the host.</summary>
[Cmdlet(VerbsCommon.Get, "Credential", DefaultParameterSetName = "CredentialSet")]
[OutputType(typeof(PSCredential))]
public sealed class GetCredentialCommand : PSCmdlet
{
    [Parameter(Position = 0, ParameterSetName = "CredentialSet")]
    [Credential]
    public PSCredential? Credential { get; set; }

    [Parameter(ParameterSetName = "MessageSet")]
    public string? Message { get; set; }

    [Parameter(Position = 0, ParameterSetName = "MessageSet")]
    public string? UserName { get; set; }

    [Parameter]
    public string? Title { get; set; }

    protected override void BeginProcessing()
    {
        if (Credential is not null)
        {
            WriteObject(Credential);
            return;
        }

        PSCredential? credential = Host.UI.PromptForCredential(
            Title ?? "PowerShell credential request",
            Message ?? "Enter your credentials.",
            UserName ?? string.Empty,
            string.Empty);
        if (credential is not null)
        {
            WriteObject(credential);
        }
    }
}
