using Xunit;

namespace ContainerPS.Tests.Integration.Images;

/// <summary>
/// The image tests point $env:CONTAINERPS_ROOT (process-wide) at their own throw-away
/// store, so they run as one collection that nothing else runs beside.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ImagesCollection
{
    public const string Name = "ContainerPS.Images";
}
