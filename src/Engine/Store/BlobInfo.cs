namespace ContainerPS.Engine.Store;

/// <summary>A blob as stored: its digest, size in bytes, and whether this write created it.</summary>
public readonly record struct BlobInfo(Digest Digest, long Size, bool Created = false);
