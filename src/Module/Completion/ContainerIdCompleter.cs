using System.Collections;

namespace ContainerPS.Module.Completion;

/// <summary>
/// Completes container IDs as docker prints them (12 hex digits), matching the typed word
/// against the full ID too; the tooltip names the container.
/// </summary>
public sealed class ContainerIdCompleter : StoreCompleter
{
    protected override bool Sorted => false;

    protected override IEnumerable<Candidate> Candidates(string commandName, string parameterName, IDictionary fakeBoundParameters) =>
        ContainerCompletion.Candidates(commandName, parameterName, fakeBoundParameters)
            .Select(c => new Candidate(c.ShortId, $"{c.ShortId}  {c.Name}  {c.Image}  {c.Status}", c.Id));
}
