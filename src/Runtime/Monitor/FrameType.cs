namespace ContainerPS.Runtime.Monitor;

/// <summary>Stream frame types on an attach connection.</summary>
public enum FrameType : byte
{
    Stdin = 0,
    Stdout = 1,
    Stderr = 2,
    /// <summary>Payload: the exit code as 4 bytes big-endian; the last frame of an attach.</summary>
    Exit = 3,
    /// <summary>Payload: rows and cols as 2+2 bytes big-endian.</summary>
    Resize = 4,
    /// <summary>Client → monitor: no more stdin (close the container's stdin).</summary>
    CloseStdin = 5,
}
