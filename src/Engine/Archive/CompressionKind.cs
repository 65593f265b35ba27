namespace ContainerPS.Engine.Archive;

/// <summary>Compression of a layer or archive stream, as recognised by its magic bytes.</summary>
public enum CompressionKind
{
    None,
    Gzip,
    Bzip2,
    Xz,
    Zstd,
}
