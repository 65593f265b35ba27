using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace ContainerPS.Module.Completion;

/// <summary>Completes -RestartPolicy values: no, on-failure, on-failure:N, always, unless-stopped.</summary>
public sealed class RestartPolicyCompleter : IArgumentCompleter
{
    private static readonly (string Value, string Tooltip)[] Policies =
    {
        ("no", "Never restart (the default)."),
        ("on-failure", "Restart when the container exits with a non-zero code."),
        ("on-failure:3", "Restart on failure, at most 3 times."),
        ("always", "Restart whenever the container exits, until Stop-Container stops it."),
        ("unless-stopped", "Like always: a container stopped with Stop-Container stays stopped."),
    };

    public IEnumerable<CompletionResult> CompleteArgument(
        string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var pattern = CompletionText.PatternFor(wordToComplete, out var quote);
        return Policies.Where(p => pattern.IsMatch(p.Value))
            .Select(p => new CompletionResult(CompletionText.Quote(p.Value, quote), p.Value, CompletionResultType.ParameterValue, p.Tooltip))
            .ToList();
    }
}
