namespace ContainerPS.Engine.Store;

/// <summary>What a garbage collection removed.</summary>
public sealed record GarbageCollectionResult(int BlobsRemoved, int LayersRemoved, long BytesFreed);
