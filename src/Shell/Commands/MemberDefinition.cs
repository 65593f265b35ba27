// Stand-in for the PowerShell cmdlet of the same name. It exists only because the
// Microsoft.PowerShell.Utility / Microsoft.PowerShell.Management modules are not available as
// NuGet packages here; ShellSessionState registers it only when the session has no real
// command of that name, and under a real pwsh the real cmdlet is used.
using System.Management.Automation;

namespace ContainerPS.Shell.Commands;

/// <summary>Output of Get-Member; same shape as pwsh's Microsoft.PowerShell.Commands.MemberDefinition.</summary>
public sealed class MemberDefinition
{
    public MemberDefinition(string typeName, string name, PSMemberTypes memberType, string definition)
    {
        TypeName = typeName;
        Name = name;
        MemberType = memberType;
        Definition = definition;
    }

    public string TypeName { get; }

    public string Name { get; }

    public PSMemberTypes MemberType { get; }

    public string Definition { get; }

    public override string ToString() => Definition;
}
