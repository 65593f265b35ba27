namespace ContainerPS.Engine.Archive;

/// <summary>How <see cref="LayerExtractor"/> treats the whiteout entries of a layer (OCI image-spec layer.md).</summary>
public enum WhiteoutMode
{
    /// <summary>
    /// The target holds this layer alone and becomes an overlayfs lower directory: a whiteout
    /// <c>.wh.name</c> becomes the overlay whiteout (a 0:0 character device <c>name</c>) and the
    /// opaque marker <c>.wh..wh..opq</c> sets <c>trusted.overlay.opaque=y</c> on its directory.
    /// </summary>
    Overlay,

    /// <summary>
    /// The target is a full tree the layer is flattened onto: <c>.wh.name</c> deletes
    /// <c>name</c>, and <c>.wh..wh..opq</c> deletes every child of its directory that this same
    /// layer did not write.
    /// </summary>
    Apply,
}
