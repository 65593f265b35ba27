namespace ContainerPS.Engine.Archive;

/// <summary>What <see cref="LayerExtractor.ExtractAsync"/> did.</summary>
/// <param name="Entries">Tar entries processed, whiteouts included (PAX global headers are not entries).</param>
/// <param name="Bytes">Bytes of regular-file content written.</param>
public sealed record LayerExtractResult(long Entries, long Bytes);
