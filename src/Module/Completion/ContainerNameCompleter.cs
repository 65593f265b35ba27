using System.Collections;

namespace ContainerPS.Module.Completion;

/// <summary>
/// Completes container names (for Stop-Container, only running ones; for Start-Container,
/// stopped ones).
/// </summary>
public sealed class ContainerNameCompleter : StoreCompleter
{
    protected override IEnumerable<Candidate> Candidates(string commandName, string parameterName, IDictionary fakeBoundParameters) =>
        ContainerCompletion.Candidates(commandName, parameterName, fakeBoundParameters)
            .Select(c => new Candidate(c.Name, $"{c.Name}  {c.ShortId}  {c.Image}  {c.Status}"));
}
