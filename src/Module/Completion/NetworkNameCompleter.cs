using System.Collections;
using ContainerPS.Engine.Containers;

namespace ContainerPS.Module.Completion;

/// <summary>
/// Completes network names (the built-ins and user-defined networks). Reads only the network
/// records, never the containers.
/// </summary>
public sealed class NetworkNameCompleter : StoreCompleter
{
    protected override IEnumerable<Candidate> Candidates(string commandName, string parameterName, IDictionary fakeBoundParameters) =>
        ContainerManager.Open().Networks.Names().Select(n => new Candidate(n, n));
}
