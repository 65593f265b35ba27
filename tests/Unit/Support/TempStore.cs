using ContainerPS.Engine.Images;
using ContainerPS.Engine.Store;

namespace ContainerPS.Tests.Unit.Support;

/// <summary>A throw-away store root per test; deleted on dispose even when the test failed.</summary>
public sealed class TempStore : IDisposable
{
    public TempStore()
    {
        Root = Path.Combine(Path.GetTempPath(), "cps-unit-" + Guid.NewGuid().ToString("N")[..10]);
        Directory.CreateDirectory(Root);
        Layout = new StoreLayout(Path.Combine(Root, "store"));
        Images = new ImageStore(Layout);
    }

    public string Root { get; }
    public StoreLayout Layout { get; }
    public ImageStore Images { get; }

    public string PathFor(string name) => Path.Combine(Root, name);

    /// <summary>Deletes the root once the engine's deferred deletions (removed containers' files) have finished.</summary>
    public void Dispose()
    {
        DeferredDeletion.WaitIdle(TimeSpan.FromSeconds(10));
        try { Directory.Delete(Root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
