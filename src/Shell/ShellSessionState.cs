using System.Management.Automation;
using System.Management.Automation.Runspaces;
using ContainerPS.Shell.Commands;

namespace ContainerPS.Shell;

/// <summary>
/// The session state cpsh runs in, shared with the integration tests: the default
/// PowerShell session plus cpsh's stand-ins for Utility/Management cmdlets.
/// </summary>
public static class ShellSessionState
{
    /// <summary>
    /// The stand-in cmdlets. They exist only because the Microsoft.PowerShell.Utility and
    /// Microsoft.PowerShell.Management modules are not available as NuGet packages here
    /// (the System.Management.Automation package alone has only the core cmdlets).
    /// </summary>
    public static IReadOnlyList<(string Name, Type Implementation)> UtilityCmdlets { get; } = new (string, Type)[]
    {
        ("Write-Output", typeof(WriteOutputCommand)),
        ("Write-Host", typeof(WriteHostCommand)),
        ("Write-Error", typeof(WriteErrorCommand)),
        ("Write-Warning", typeof(WriteWarningCommand)),
        ("Write-Verbose", typeof(WriteVerboseCommand)),
        ("Write-Debug", typeof(WriteDebugCommand)),
        ("Write-Information", typeof(WriteInformationCommand)),
        ("Write-Progress", typeof(WriteProgressCommand)),
        ("Read-Host", typeof(ReadHostCommand)),
        ("Get-Credential", typeof(GetCredentialCommand)),
        ("Select-Object", typeof(SelectObjectCommand)),
        ("Sort-Object", typeof(SortObjectCommand)),
        ("Measure-Object", typeof(MeasureObjectCommand)),
        ("Format-Table", typeof(FormatTableCommand)),
        ("Format-List", typeof(FormatListCommand)),
        ("Out-String", typeof(OutStringCommand)),
        ("Out-File", typeof(OutFileCommand)),
        ("ConvertTo-Json", typeof(ConvertToJsonCommand)),
        ("ConvertFrom-Json", typeof(ConvertFromJsonCommand)),
        ("Get-ChildItem", typeof(GetChildItemCommand)),
        ("Test-Path", typeof(TestPathCommand)),
        ("Remove-Item", typeof(RemoveItemCommand)),
        ("New-Item", typeof(NewItemCommand)),
        ("Get-Content", typeof(GetContentCommand)),
        ("Set-Content", typeof(SetContentCommand)),
        ("Join-Path", typeof(JoinPathCommand)),
        ("Split-Path", typeof(SplitPathCommand)),
        ("Set-Location", typeof(SetLocationCommand)),
        ("Get-Location", typeof(GetLocationCommand)),
        ("Get-Date", typeof(GetDateCommand)),
        ("Start-Sleep", typeof(StartSleepCommand)),
        ("New-Object", typeof(NewObjectCommand)),
        ("Get-Member", typeof(GetMemberCommand)),
    };

    /// <summary>
    /// <see cref="InitialSessionState.CreateDefault2"/> plus each stand-in cmdlet whose name
    /// the session does not already provide, plus table/list views for the stand-ins' own
    /// output types.
    /// </summary>
    public static InitialSessionState Create()
    {
        InitialSessionState state = InitialSessionState.CreateDefault2();
        AddUtilityCmdlets(state);
        return state;
    }

    /// <summary>Adds the stand-ins to an existing session state, skipping names it already has.</summary>
    public static void AddUtilityCmdlets(InitialSessionState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        foreach ((string name, Type implementation) in UtilityCmdlets)
        {
            if (state.Commands[name].Count == 0)
            {
                state.Commands.Add(new SessionStateCmdletEntry(name, implementation, helpFileName: null));
            }
        }

        if (!state.Formats.Any(f => f.FormatData?.TypeName == typeof(MemberDefinition).FullName))
        {
            state.Formats.Add(new SessionStateFormatEntry(MemberDefinitionView()));
        }
    }

    /// <summary>Get-Member's table grouped by type name, as pwsh shows it.</summary>
    private static ExtendedTypeDefinition MemberDefinitionView()
    {
        TableControl table = TableControl.Create()
            .GroupByProperty("TypeName", label: "TypeName")
            .AddHeader(Alignment.Left, label: "Name")
            .AddHeader(Alignment.Left, label: "MemberType")
            .AddHeader(Alignment.Left, label: "Definition")
            .StartRowDefinition(wrap: false)
                .AddPropertyColumn("Name")
                .AddPropertyColumn("MemberType")
                .AddPropertyColumn("Definition")
            .EndRowDefinition()
            .EndTable();
        return new ExtendedTypeDefinition(typeof(MemberDefinition).FullName, new[] { new FormatViewDefinition("MemberDefinition", table) });
    }
}
