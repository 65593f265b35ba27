using System.Management.Automation;
using System.Management.Automation.Language;
using System.Text;

namespace ContainerPS.Shell.Hosting;

/// <summary>
/// Renders an <see cref="ErrorRecord"/> the way pwsh's NormalView does:
/// <code>
/// Get-Item : Cannot find path '/nope' because it does not exist.
/// At line:1 char:1
/// + Get-Item /nope
/// + ~~~~~~~~~~~~~~
///     + CategoryInfo          : ObjectNotFound: (/nope:String) [Get-Item], ItemNotFoundException
///     + FullyQualifiedErrorId : PathNotFound,Microsoft.PowerShell.Commands.GetItemCommand
/// </code>
/// cpsh renders errors itself rather than through the ErrorRecord format view, whose
/// ConciseView script needs cmdlets that the SMA package alone does not ship.
/// </summary>
public static class ErrorRenderer
{
    public static string Render(ErrorRecord error)
    {
        ArgumentNullException.ThrowIfNull(error);
        var text = new StringBuilder();
        InvocationInfo? invocation = error.InvocationInfo;

        text.Append(CommandPrefix(invocation));
        string message = Message(error);
        if (error.Exception is ParseException { Errors.Length: > 0 } parse && !message.StartsWith("At ", StringComparison.Ordinal))
        {
            // Parse errors carry their positions in the exception, not in InvocationInfo.
            message = string.Join("\n\n", parse.Errors.Select(e => Position(e.Extent) + "\n" + e.Message));
        }

        text.Append(message);
        string? position = PositionMessage(error);
        if (!string.IsNullOrEmpty(position) && !message.Contains(position, StringComparison.Ordinal) && !message.StartsWith("At ", StringComparison.Ordinal))
        {
            text.Append('\n').Append(position.Replace("\r\n", "\n", StringComparison.Ordinal));
        }

        string? recommended = error.ErrorDetails?.RecommendedAction;
        if (!string.IsNullOrEmpty(recommended))
        {
            text.Append('\n').Append(recommended);
        }

        text.Append("\n    + CategoryInfo          : ").Append(error.CategoryInfo.GetMessage());
        text.Append("\n    + FullyQualifiedErrorId : ").Append(error.FullyQualifiedErrorId);
        text.Append('\n');
        return text.ToString();
    }

    /// <summary>The error's message: ErrorDetails when set, else the exception message.</summary>
    public static string Message(ErrorRecord error)
    {
        ArgumentNullException.ThrowIfNull(error);
        string? message = error.ErrorDetails?.Message;
        if (string.IsNullOrEmpty(message))
        {
            message = error.Exception?.Message;
        }

        return string.IsNullOrEmpty(message) ? error.ToString() : message;
    }

    private static string CommandPrefix(InvocationInfo? invocation)
    {
        CommandInfo? command = invocation?.MyCommand;
        if (invocation is null || command is null)
        {
            return string.Empty;
        }

        switch (command.CommandType)
        {
            case CommandTypes.ExternalScript:
                return command is ExternalScriptInfo script && !string.IsNullOrEmpty(script.Path) ? script.Path + " : " : string.Empty;
            case CommandTypes.Script:
                return string.Empty;
            default:
                string name = invocation.InvocationName;
                if (string.IsNullOrEmpty(name) || name == "&" || name == ".")
                {
                    name = command.Name;
                }

                return string.IsNullOrEmpty(name) ? string.Empty : name + " : ";
        }
    }

    /// <summary>"At line:L char:C" plus the line and a ~~~ marker, as in PowerShell's position messages.</summary>
    private static string Position(IScriptExtent extent)
    {
        string where = string.IsNullOrEmpty(extent.File) ? "line:" + extent.StartLineNumber : extent.File + ":" + extent.StartLineNumber;
        string line = extent.StartScriptPosition.Line.TrimEnd('\r', '\n');
        int start = Math.Max(0, extent.StartColumnNumber - 1);
        int length = extent.EndLineNumber == extent.StartLineNumber ? extent.EndColumnNumber - extent.StartColumnNumber : line.Length - start;
        return $"At {where} char:{extent.StartColumnNumber}\n+ {line}\n+ {new string(' ', start)}{new string('~', Math.Max(1, length))}";
    }

    private static string? PositionMessage(ErrorRecord error)
    {
        InvocationInfo? invocation = error.InvocationInfo;
        if (invocation is null || invocation.ScriptLineNumber <= 0)
        {
            return null;
        }

        return invocation.PositionMessage;
    }
}
