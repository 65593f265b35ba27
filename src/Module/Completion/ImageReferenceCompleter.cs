using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using ContainerPS.Engine.Images;
using ContainerPS.Engine.References;

namespace ContainerPS.Module.Completion;

/// <summary>
/// Completes image references ("busybox:latest") from the local store. Reads only the
/// store's name index (images/index.json), and never throws: a completer that fails or blocks breaks the user's Tab key.
/// </summary>
public sealed class ImageReferenceCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(
        string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        try
        {
            return Complete(wordToComplete);
        }
        catch (Exception)
        {
            // Never throw from a completer (corrupt store, no permission, engine bug...).
            return Array.Empty<CompletionResult>();
        }
    }

    private static List<CompletionResult> Complete(string wordToComplete)
    {
        var pattern = CompletionText.PatternFor(wordToComplete, out var quote);
        var results = new List<CompletionResult>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        // The index alone (one small file): no image configs or layers are read.
        foreach (var record in ImageStore.Open().Index.Load())
        {
            foreach (var fullName in record.Names)
            {
                var name = ImageReference.TryParse(fullName, out var reference) ? reference.FamiliarString : fullName;
                if (!pattern.IsMatch(name) || !seen.Add(name)) continue;
                var tooltip = $"{name}  {record.Config.Short}";
                results.Add(new CompletionResult(CompletionText.Quote(name, quote), name, CompletionResultType.ParameterValue, tooltip));
            }
        }

        results.Sort((a, b) => string.CompareOrdinal(a.ListItemText, b.ListItemText));
        return results;
    }
}
