// Stand-in for the PowerShell cmdlet of the same name. It exists only because the
// Microsoft.PowerShell.Utility / Microsoft.PowerShell.Management modules are not available as
// NuGet packages here; ShellSessionState registers it only when the session has no real
// command of that name, and under a real pwsh the real cmdlet is used.
using System.Management.Automation;
using System.Management.Automation.Internal;

namespace ContainerPS.Shell.Commands;

[Cmdlet(VerbsCommon.Get, "Member")]
[OutputType(typeof(MemberDefinition))]
public sealed class GetMemberCommand : PSCmdlet
{
    private static readonly string[] HiddenPrefixes = { "get_", "set_", "add_", "remove_", "op_" };
    private readonly HashSet<string> _seenTypes = new(StringComparer.Ordinal);

    [Parameter(ValueFromPipeline = true)]
    public PSObject InputObject { get; set; } = AutomationNull.Value;

    [Parameter(Position = 0)]
    [ValidateNotNullOrEmpty]
    public string[]? Name { get; set; }

    [Parameter]
    [Alias("Type")]
    public PSMemberTypes MemberType { get; set; } = PSMemberTypes.All;

    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override void ProcessRecord()
    {
        if (InputObject == AutomationNull.Value || InputObject is null)
        {
            return;
        }

        string typeName = InputObject.TypeNames.Count > 0 ? InputObject.TypeNames[0] : InputObject.BaseObject.GetType().FullName!;
        if (!_seenTypes.Add(typeName))
        {
            return;
        }

        WildcardPattern[] patterns = (Name ?? new[] { "*" }).Select(n => new WildcardPattern(n, WildcardOptions.IgnoreCase)).ToArray();
        var members = new List<MemberDefinition>();
        foreach (PSMemberInfo member in InputObject.Members)
        {
            if ((member.MemberType & MemberType) == 0 || !patterns.Any(p => p.IsMatch(member.Name)))
            {
                continue;
            }

            if (!Force && (member.MemberType == PSMemberTypes.MemberSet
                || (member.MemberType == PSMemberTypes.Method && HiddenPrefixes.Any(p => member.Name.StartsWith(p, StringComparison.Ordinal)))))
            {
                continue;
            }

            members.Add(new MemberDefinition(typeName, member.Name, member.MemberType, Definition(member)));
        }

        foreach (MemberDefinition definition in members
            .OrderBy(m => m.MemberType.ToString(), StringComparer.OrdinalIgnoreCase)
            .ThenBy(m => m.Name, StringComparer.OrdinalIgnoreCase))
        {
            WriteObject(definition);
        }
    }

    private static string Definition(PSMemberInfo member)
    {
        try
        {
            return member.MemberType == PSMemberTypes.NoteProperty && member is PSNoteProperty note
                ? $"{note.TypeNameOfValue.Split('.')[^1].ToLowerInvariant()} {note.Name}={note.Value}"
                : member.ToString() ?? member.Name;
        }
        catch (Exception e) when (e is GetValueException or ExtendedTypeSystemException or NotSupportedException or InvalidOperationException)
        {
            return member.Name;
        }
    }
}
