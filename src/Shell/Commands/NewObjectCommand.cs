// Stand-in for the PowerShell cmdlet of the same name. It exists only because the
// Microsoft.PowerShell.Utility / Microsoft.PowerShell.Management modules are not available as
// NuGet packages here; ShellSessionState registers it only when the session has no real
// command of that name, and under a real pwsh the real cmdlet is used.
using System.Collections;
using System.Management.Automation;

namespace ContainerPS.Shell.Commands;

/// <summary>New-Object for .NET types (no COM): constructs through PowerShell's own method binder (<c>[type]::new</c>).</summary>
[Cmdlet(VerbsCommon.New, "Object")]
[OutputType(typeof(object))]
public sealed class NewObjectCommand : PSCmdlet
{
    [Parameter(Position = 0, Mandatory = true)]
    public string TypeName { get; set; } = string.Empty;

    [Parameter(Position = 1)]
    [Alias("Args")]
    public object[]? ArgumentList { get; set; }

    [Parameter]
    public IDictionary? Property { get; set; }

    protected override void EndProcessing()
    {
        Type type;
        try
        {
            type = LanguagePrimitives.ConvertTo<Type>(TypeName);
        }
        catch (PSInvalidCastException e)
        {
            ThrowTerminatingError(new ErrorRecord(
                new PSArgumentException($"Cannot find type [{TypeName}]: verify that the assembly containing this type is loaded.", e),
                "TypeNotFound",
                ErrorCategory.InvalidType,
                TypeName));
            return;
        }

        PSObject created;
        try
        {
            ScriptBlock construct = ScriptBlock.Create("param($t, $a) if ($a.Count -eq 0) { ,$t::new() } else { ,$t::new.Invoke($a) }");
            var results = construct.Invoke(type, ArgumentList ?? Array.Empty<object>());
            created = results.Count > 0 ? results[0] : throw new PSInvalidOperationException($"[{type.FullName}] produced no object.");
        }
        catch (RuntimeException e)
        {
            ThrowTerminatingError(new ErrorRecord(e.InnerException is { } inner && e is MethodInvocationException ? inner : e, "ConstructorInvokedThrowException", ErrorCategory.InvalidOperation, TypeName));
            return;
        }

        if (Property is not null)
        {
            foreach (DictionaryEntry entry in Property)
            {
                string name = entry.Key?.ToString() ?? string.Empty;
                PSPropertyInfo? existing = created.Properties[name];
                if (existing is not null)
                {
                    existing.Value = entry.Value;
                }
                else if (created.BaseObject is PSCustomObject)
                {
                    created.Properties.Add(new PSNoteProperty(name, entry.Value));
                }
                else
                {
                    WriteError(new ErrorRecord(
                        new PSArgumentException($"The member \"{name}\" was not found for the specified .NET object."),
                        "InvalidOperationException",
                        ErrorCategory.InvalidOperation,
                        name));
                }
            }
        }

        WriteObject(created);
    }
}
