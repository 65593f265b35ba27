using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace ContainerPS.Module.Completion;

/// <summary>
/// Completes container IDs as docker prints them (12 hex digits), matching the typed word
/// against the full ID; the tooltip names the container. Never throws.
/// </summary>
public sealed class ContainerIdCompleter : IArgumentCompleter
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
                if (!pattern.IsMatch(c.ShortId) && !pattern.IsMatch(c.Id)) continue;
                results.Add(new CompletionResult(CompletionText.Quote(c.ShortId, quote), c.ShortId,
                    CompletionResultType.ParameterValue, $"{c.ShortId}  {c.Name}  {c.Image}  {c.Status}"));
            }
            return results;
        }
        catch (Exception)
        {
            return Array.Empty<CompletionResult>();
        }
    }
}
