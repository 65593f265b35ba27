using System.Collections;
using ContainerPS.Engine.Images;
using ContainerPS.Engine.References;

namespace ContainerPS.Module.Completion;

/// <summary>
/// Completes image IDs as docker prints them (12 hex digits), matching the typed word against
/// the ID with or without "sha256:". Reads only the name index.
/// </summary>
public sealed class ImageIdCompleter : StoreCompleter
{
    protected override bool Sorted => false;

    protected override IEnumerable<Candidate> Candidates(string commandName, string parameterName, IDictionary fakeBoundParameters) =>
        ImageStore.Open().Index.Load().Select(record =>
        {
            var names = record.Names.Count > 0
                ? string.Join(", ", record.Names.Select(n => ImageReference.TryParse(n, out var r) ? r.FamiliarString : n))
                : "<none>";
            return new Candidate(record.Config.Short, $"{record.Config.Short}  {names}", record.Config.ToString());
        });
}
