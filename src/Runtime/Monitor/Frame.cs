using System.Buffers.Binary;

namespace ContainerPS.Runtime.Monitor;

/// <summary>
/// Attach stream framing, like Docker's stdcopy: 1 byte type, 3 bytes zero, 4 bytes length
/// (big-endian), payload. Keeps stdout and stderr apart on one connection.
/// </summary>
public static class Frame
{
    public const int HeaderSize = 8;
    public const int MaxPayload = 1 << 20;

    public static void WriteHeader(Span<byte> header, FrameType type, int length)
    {
        header[..4].Clear();
        header[0] = (byte)type;
        BinaryPrimitives.WriteInt32BigEndian(header[4..], length);
    }

    public static async Task WriteAsync(Stream stream, FrameType type, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken = default)
    {
        var buffer = new byte[HeaderSize + payload.Length];
        WriteHeader(buffer, type, payload.Length);
        payload.CopyTo(buffer.AsMemory(HeaderSize));
        await stream.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
        await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reads one frame; null at end of stream.</summary>
    public static async Task<(FrameType Type, byte[] Payload)?> ReadAsync(Stream stream, CancellationToken cancellationToken = default)
    {
        var header = new byte[HeaderSize];
        if (!await ReadExactlyOrEndAsync(stream, header, cancellationToken).ConfigureAwait(false)) return null;
        var length = BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(4));
        if (length < 0 || length > MaxPayload) throw new InvalidDataException($"attach frame of {length} bytes");
        var payload = new byte[length];
        if (length > 0 && !await ReadExactlyOrEndAsync(stream, payload, cancellationToken).ConfigureAwait(false))
            throw new EndOfStreamException("attach stream ended inside a frame");
        return ((FrameType)header[0], payload);
    }

    public static byte[] ExitPayload(int exitCode)
    {
        var b = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(b, exitCode);
        return b;
    }

    public static byte[] ResizePayload(int rows, int cols)
    {
        var b = new byte[4];
        BinaryPrimitives.WriteUInt16BigEndian(b, (ushort)rows);
        BinaryPrimitives.WriteUInt16BigEndian(b.AsSpan(2), (ushort)cols);
        return b;
    }

    private static async Task<bool> ReadExactlyOrEndAsync(Stream stream, byte[] buffer, CancellationToken ct)
    {
        var read = 0;
        while (read < buffer.Length)
        {
            var n = await stream.ReadAsync(buffer.AsMemory(read), ct).ConfigureAwait(false);
            if (n == 0)
            {
                if (read == 0) return false;
                throw new EndOfStreamException("attach stream ended inside a frame header");
            }
            read += n;
        }
        return true;
    }
}
