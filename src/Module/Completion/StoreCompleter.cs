using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace ContainerPS.Module.Completion;

/// <summary>
/// What the completers of store objects (containers, images, networks, volumes) share: the typed
/// word as a wildcard pattern, quoting of names that need it, one result per text, sorting, and
/// never throwing — a completer that fails breaks the user's Tab key (corrupt store, no
/// permission, engine bug...). Subclasses only list candidates, reading as little as they can.
/// </summary>
public abstract class StoreCompleter : IArgumentCompleter
{
    /// <summary>One completion: the text to insert, its tooltip, and other forms the typed word may match (a full ID).</summary>
    protected readonly record struct Candidate(string Text, string Tooltip, string? AlsoMatches = null);

    /// <summary>Sort the results by text (names); IDs keep the store's order.</summary>
    protected virtual bool Sorted => true;

    protected abstract IEnumerable<Candidate> Candidates(string commandName, string parameterName, IDictionary fakeBoundParameters);

    public IEnumerable<CompletionResult> CompleteArgument(
        string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        try
        {
            var pattern = CompletionText.PatternFor(wordToComplete, out var quote);
            var results = new List<CompletionResult>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var c in Candidates(commandName ?? "", parameterName ?? "", fakeBoundParameters))
            {
                if (!pattern.IsMatch(c.Text) && !(c.AlsoMatches is { } other && pattern.IsMatch(other))) continue;
                if (!seen.Add(c.Text)) continue;
                results.Add(new CompletionResult(CompletionText.Quote(c.Text, quote), c.Text, CompletionResultType.ParameterValue, c.Tooltip));
            }
            if (Sorted) results.Sort((a, b) => string.CompareOrdinal(a.ListItemText, b.ListItemText));
            return results;
        }
        catch (Exception)
        {
            return Array.Empty<CompletionResult>();
        }
    }
}
