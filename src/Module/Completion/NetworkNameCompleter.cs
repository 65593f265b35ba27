using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using ContainerPS.Engine.Containers;

namespace ContainerPS.Module.Completion;

/// <summary>
/// Completes network names (the built-ins and user-defined networks; for -Network also
/// "container:"). Reads only the network records, never the containers. Never throws.
/// </summary>
public sealed class NetworkNameCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(
        string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        try
        {
            var pattern = CompletionText.PatternFor(wordToComplete, out var quote);
            var results = new List<CompletionResult>();
            foreach (var n in ContainerManager.Open().Networks.Names())
            {
                if (!pattern.IsMatch(n)) continue;
                results.Add(new CompletionResult(CompletionText.Quote(n, quote), n, CompletionResultType.ParameterValue, n));
            }
            results.Sort((a, b) => string.CompareOrdinal(a.ListItemText, b.ListItemText));
            return results;
        }
        catch (Exception)
        {
            // Never throw from a completer: it would break the user's Tab key.
            return Array.Empty<CompletionResult>();
        }
    }
}
