using ContainerPS.Engine.Interop;

namespace ContainerPS.Tests.Unit.Archive;

/// <summary>
/// A throw-away directory per test: <c>target/</c> to extract into, an empty <c>sentinel/</c>
/// beside it that must stay empty, and <c>outside/victim</c>, a file an escaping entry might
/// try to reach. Removed on dispose without following symlinks.
/// </summary>
internal sealed class ArchiveTestDirectory : IDisposable
{
    public const string VictimContent = "host file, must not change";

    public ArchiveTestDirectory()
    {
        Base = Path.Combine(Path.GetTempPath(), "cps-archive-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Target);
        Directory.CreateDirectory(Sentinel);
        Directory.CreateDirectory(Outside);
        File.WriteAllText(Victim, VictimContent);
    }

    public string Base { get; }
    public string Target => Path.Combine(Base, "target");
    public string Sentinel => Path.Combine(Base, "sentinel");
    public string Outside => Path.Combine(Base, "outside");
    public string Victim => Path.Combine(Outside, "victim");

    public string InTarget(string relative) => Path.Combine(Target, relative);

    /// <summary>Asserts that nothing was created, removed or changed outside the target.</summary>
    public void AssertNothingOutside()
    {
        Assert.Empty(Directory.GetFileSystemEntries(Sentinel));
        Assert.Equal(new[] { Victim }, Directory.GetFileSystemEntries(Outside));
        Assert.Equal(VictimContent, File.ReadAllText(Victim));
        var victim = FileSystem.LStat(Victim);
        Assert.Equal(1UL, victim.LinkCount);
        Assert.Equal(0u, victim.Uid);
        Assert.Equal(new[] { Outside, Sentinel, Target }, Directory.GetFileSystemEntries(Base).Order(StringComparer.Ordinal));
    }

    public void Dispose() => FileSystem.RemoveAll(Base);
}
