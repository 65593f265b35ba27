using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using ContainerPS.Engine.Store;
using ContainerPS.Engine.Volumes;

namespace ContainerPS.Module.Completion;

/// <summary>
/// Completes volume names (New-ContainerVolume's -Name excepted: a new name). Reads only the
/// volumes directory listing, never the records; wildcard-aware, quotes where needed, never throws.
/// </summary>
public sealed class VolumeNameCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(
        string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        try
        {
            if ((commandName ?? "").EndsWith("New-ContainerVolume", StringComparison.OrdinalIgnoreCase))
                return Array.Empty<CompletionResult>();
            var pattern = CompletionText.PatternFor(wordToComplete, out var quote);
            return new VolumeStore(StoreLayout.FromEnvironment()).Names()
                .Where(pattern.IsMatch)
                .Select(n => new CompletionResult(CompletionText.Quote(n, quote), n, CompletionResultType.ParameterValue, n))
                .ToList();
        }
        catch (Exception)
        {
            // Never throw from a completer: it would break the user's Tab key.
            return Array.Empty<CompletionResult>();
        }
    }
}
