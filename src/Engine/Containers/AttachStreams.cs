using System.Threading.Channels;

namespace ContainerPS.Engine.Containers;

/// <summary>
/// Where an attach's data goes and comes from. <see cref="Output"/> is called on a background
/// thread with each chunk and its stream ("stdout"/"stderr"; a TTY has only stdout).
/// </summary>
public sealed class AttachStreams
{
    /// <summary>Copied to the container's stdin until it ends (then the container's stdin is closed); null attaches output only.</summary>
    public Stream? Stdin { get; init; }
    public required Action<string, ReadOnlyMemory<byte>> Output { get; init; }
    /// <summary>The initial terminal size for TTY containers.</summary>
    public (int Rows, int Cols)? Size { get; init; }
    /// <summary>
    /// Terminal size changes to forward while attached (TTY only: the window was resized);
    /// read until it completes or the attach ends.
    /// </summary>
    public ChannelReader<(int Rows, int Cols)>? Resizes { get; init; }
    /// <summary>Detach keys as bytes (ctrl-p ctrl-q = 0x10 0x11): typing them ends the attach, the container keeps running.</summary>
    public byte[]? DetachKeys { get; init; }
}
