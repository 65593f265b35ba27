using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace ContainerPS.Module.Completion;

/// <summary>
/// Completes container names (for Stop-Container, only running ones; for Start-Container,
/// stopped ones). Wildcard-aware, quotes names that need it, never throws.
/// </summary>
public sealed class ContainerNameCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(
        string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        try
        {
            var pattern = CompletionText.PatternFor(wordToComplete, out var quote);
            var results = new List<CompletionResult>();
            foreach (var c in ContainerCompletion.Candidates(commandName, parameterName, fakeBoundParameters))
            {
                if (!pattern.IsMatch(c.Name)) continue;
                results.Add(new CompletionResult(CompletionText.Quote(c.Name, quote), c.Name,
                    CompletionResultType.ParameterValue, $"{c.Name}  {c.ShortId}  {c.Image}  {c.Status}"));
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
