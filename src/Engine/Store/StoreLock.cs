using ContainerPS.Runtime.IO;

namespace ContainerPS.Engine.Store;

/// <summary>
/// The store-wide exclusive lock (root/store.lock) taken around every metadata mutation and
/// garbage collection. Long transfers (load, pull, build) do their heavy I/O outside it and
/// take it only to publish their result; a <see cref="Lease"/> protects their new content
/// from a concurrent GC in the meantime.
/// </summary>
public sealed class StoreLock : IDisposable
{
    private FileLock? _lock;

    private StoreLock(FileLock fileLock) => _lock = fileLock;

    public static StoreLock Acquire(StoreLayout layout, CancellationToken cancellationToken = default)
    {
        Directory.CreateDirectory(layout.Root);
        return new StoreLock(FileLock.Acquire(layout.LockFile, exclusive: true, cancellationToken));
    }

    internal void EnsureHeld()
    {
        if (_lock is null) throw new InvalidOperationException("the store lock is not held");
    }

    public void Dispose()
    {
        _lock?.Dispose();
        _lock = null;
    }
}
