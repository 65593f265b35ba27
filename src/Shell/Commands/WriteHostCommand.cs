// Stand-in for the PowerShell cmdlet of the same name. It exists only because the
// Microsoft.PowerShell.Utility / Microsoft.PowerShell.Management modules are not available as
// NuGet packages here; ShellSessionState registers it only when the session has no real
// command of that name, and under a real pwsh the real cmdlet is used.
using System.Collections;
using System.Management.Automation;
using System.Text;

namespace ContainerPS.Shell.Commands;

[Cmdlet(VerbsCommunications.Write, "Host")]
public sealed class WriteHostCommand : PSCmdlet
{
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromRemainingArguments = true)]
    [Alias("Msg", "Message")]
    public object? Object { get; set; }

    [Parameter]
    public SwitchParameter NoNewline { get; set; }

    [Parameter]
    public object Separator { get; set; } = " ";

    [Parameter]
    public ConsoleColor ForegroundColor { get; set; }

    [Parameter]
    public ConsoleColor BackgroundColor { get; set; }

    protected override void ProcessRecord()
    {
        var message = new HostInformationMessage
        {
            Message = Render(Object),
            NoNewLine = NoNewline.IsPresent,
        };
        if (MyInvocation.BoundParameters.ContainsKey(nameof(ForegroundColor)))
        {
            message.ForegroundColor = ForegroundColor;
        }

        if (MyInvocation.BoundParameters.ContainsKey(nameof(BackgroundColor)))
        {
            message.BackgroundColor = BackgroundColor;
        }

        // Same path as the real Write-Host: an information record tagged PSHOST, which the
        // engine shows on the host and also records in the Information stream (6>).
        WriteInformation(message, new[] { "PSHOST" });
    }

    private string Render(object? value)
    {
        value = value is PSObject pso ? pso.BaseObject : value;
        if (value is null)
        {
            return string.Empty;
        }

        if (value is string text)
        {
            return text;
        }

        if (value is IEnumerable items)
        {
            var sb = new StringBuilder();
            string separator = Separator?.ToString() ?? " ";
            bool first = true;
            foreach (object? item in items)
            {
                string part = Render(item);
                if (part.Length == 0)
                {
                    continue;
                }

                if (!first)
                {
                    sb.Append(separator);
                }

                sb.Append(part);
                first = false;
            }

            return sb.ToString();
        }

        return LanguagePrimitives.ConvertTo<string>(value);
    }
}
