using System.Collections;
using ContainerPS.Engine.Images;
using ContainerPS.Engine.References;

namespace ContainerPS.Module.Completion;

/// <summary>
/// Completes image references ("busybox:latest") from the local store. Reads only the store's
/// name index (images/index.json): no image configs or layers.
/// </summary>
public sealed class ImageReferenceCompleter : StoreCompleter
{
    protected override IEnumerable<Candidate> Candidates(string commandName, string parameterName, IDictionary fakeBoundParameters) =>
        ImageStore.Open().Index.Load().SelectMany(record => record.Names.Select(fullName =>
        {
            var name = ImageReference.TryParse(fullName, out var reference) ? reference.FamiliarString : fullName;
            return new Candidate(name, $"{name}  {record.Config.Short}");
        }));
}
