using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using ContainerPS.Engine.Images;
using ContainerPS.Engine.References;

namespace ContainerPS.Module.Completion;

/// <summary>
/// Completes image IDs as docker prints them (12 hex digits), matching the typed word
/// against the ID with or without "sha256:". Never throws.
/// </summary>
public sealed class ImageIdCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(
        string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        try
        {
            var pattern = CompletionText.PatternFor(wordToComplete, out var quote);
            var results = new List<CompletionResult>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var record in ImageStore.Open().Index.Load())
            {
                var id = record.Config.ToString();
                var shortId = record.Config.Short;
                if ((!pattern.IsMatch(shortId) && !pattern.IsMatch(id)) || !seen.Add(shortId)) continue;
                var names = record.Names.Count > 0
                    ? string.Join(", ", record.Names.Select(n => ImageReference.TryParse(n, out var r) ? r.FamiliarString : n))
                    : "<none>";
                results.Add(new CompletionResult(CompletionText.Quote(shortId, quote), shortId,
                    CompletionResultType.ParameterValue, $"{shortId}  {names}"));
            }
            return results;
        }
        catch (Exception)
        {
            return Array.Empty<CompletionResult>();
        }
    }
}
