using System.Buffers.Binary;
using System.Text;

namespace ContainerPS.Runtime.Init;

/// <summary>
/// What a pre-launched init (<c>containerps-shim init &lt;bundle&gt; notty -</c>, started before
/// its container existed) reads first on its go pipe: the v1 cgroup <c>tasks</c> files it
/// joins, NUL-separated (none can hold a NUL: the engine makes every one of these paths), after
/// their length (4 bytes, little-endian), so two reads take it whatever its size (~1 KB with
/// nine hierarchies; a byte-by-byte line read cost ~0.3 ms). Then comes
/// <see cref="CreatedByte"/>, then the go byte.
/// </summary>
public sealed record InitSetup
{
    public IReadOnlyList<string> CgroupTaskFiles { get; init; } = Array.Empty<string>();

    /// <summary>The init's last argument when it is started this way (instead of its cgroup tasks files).</summary>
    public const string OnGoPipe = "-";

    /// <summary>The byte after the set-up on the go pipe: the container exists (its config.json is written).</summary>
    public const byte CreatedByte = (byte)'c';

    /// <summary>The message: its length, then the fields.</summary>
    public byte[] Encode()
    {
        if (CgroupTaskFiles.Any(f => f.Length == 0 || f.Contains('\0')))
            throw new ArgumentException("an init set-up field is empty or holds a NUL");
        var payload = Encoding.UTF8.GetBytes(string.Join('\0', CgroupTaskFiles));
        var message = new byte[4 + payload.Length];
        BinaryPrimitives.WriteInt32LittleEndian(message, payload.Length);
        payload.CopyTo(message, 4);
        return message;
    }

    /// <summary>Reads one message from <paramref name="pipe"/>; null at end of file before it.</summary>
    /// <exception cref="FormatException">Not a set-up message.</exception>
    /// <exception cref="EndOfStreamException">The message was cut short.</exception>
    public static InitSetup? Read(Stream pipe)
    {
        var length = new byte[4];
        var got = pipe.ReadAtLeast(length, 4, throwOnEndOfStream: false);
        if (got == 0) return null;
        if (got < 4) throw new EndOfStreamException("init set-up: cut short");
        var size = BinaryPrimitives.ReadInt32LittleEndian(length);
        if (size is < 0 or > 64 * 1024) throw new FormatException($"init set-up: a length of {size} bytes");
        var payload = new byte[size];
        pipe.ReadExactly(payload);
        return new InitSetup { CgroupTaskFiles = size == 0 ? Array.Empty<string>() : Encoding.UTF8.GetString(payload).Split('\0') };
    }
}
