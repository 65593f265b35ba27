// Stand-in for the PowerShell cmdlet of the same name. It exists only because the
// Microsoft.PowerShell.Utility / Microsoft.PowerShell.Management modules are not available as
// NuGet packages here; ShellSessionState registers it only when the session has no real
// command of that name, and under a real pwsh the real cmdlet is used.
namespace ContainerPS.Shell.Commands;

/// <summary>The exception of errors written by Write-Error without -Exception.</summary>
public sealed class WriteErrorException : SystemException
{
    public WriteErrorException()
        : base("Error")
    {
    }

    public WriteErrorException(string message)
        : base(message)
    {
    }

    public WriteErrorException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
