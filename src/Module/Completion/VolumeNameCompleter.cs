using System.Collections;
using ContainerPS.Engine.Store;
using ContainerPS.Engine.Volumes;

namespace ContainerPS.Module.Completion;

/// <summary>
/// Completes volume names (New-ContainerVolume's -Name excepted: a new name). Reads only the
/// volumes directory listing, never the records.
/// </summary>
public sealed class VolumeNameCompleter : StoreCompleter
{
    protected override IEnumerable<Candidate> Candidates(string commandName, string parameterName, IDictionary fakeBoundParameters) =>
        commandName.EndsWith("New-ContainerVolume", StringComparison.OrdinalIgnoreCase)
            ? Enumerable.Empty<Candidate>()
            : new VolumeStore(StoreLayout.FromEnvironment()).Names().Select(n => new Candidate(n, n));
}
