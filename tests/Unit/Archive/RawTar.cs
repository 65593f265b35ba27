using System.Text;

namespace ContainerPS.Tests.Unit.Archive;

/// <summary>
/// Hand-written tar blocks, for what System.Formats.Tar's writer cannot produce (binary PAX
/// values as Go's archive/tar writes them for SCHILY.xattr.*).
/// </summary>
internal static class RawTar
{
    /// <summary>A PAX extended header carrying one raw record, then an empty regular file.</summary>
    public static byte[] Pax(string fileName, string key, byte[] value)
    {
        var record = BuildRecord(Encoding.UTF8.GetBytes(key), value);
        using var ms = new MemoryStream();
        ms.Write(Header("PaxHeaders/" + fileName, 'x', record.Length));
        ms.Write(record);
        ms.Write(new byte[Pad(record.Length)]);
        ms.Write(Header(fileName, '0', 0));
        ms.Write(new byte[1024]);
        return ms.ToArray();
    }

    private static byte[] BuildRecord(byte[] key, byte[] value)
    {
        // "<len> <key>=<value>\n", where <len> counts the whole record including its own digits.
        var body = 1 + key.Length + 1 + value.Length + 1;
        var length = body + 1;
        while (length.ToString().Length + body != length) length = length.ToString().Length + body;
        using var ms = new MemoryStream();
        ms.Write(Encoding.ASCII.GetBytes(length + " "));
        ms.Write(key);
        ms.WriteByte((byte)'=');
        ms.Write(value);
        ms.WriteByte((byte)'\n');
        return ms.ToArray();
    }

    private static int Pad(int length) => (512 - length % 512) % 512;

    private static byte[] Header(string name, char type, long size)
    {
        var h = new byte[512];
        void Put(int offset, string text) => Encoding.ASCII.GetBytes(text).CopyTo(h, offset);
        Put(0, name);
        Put(100, "0000644\0");
        Put(108, "0000000\0");
        Put(116, "0000000\0");
        Put(124, Convert.ToString(size, 8).PadLeft(11, '0') + "\0");
        Put(136, Convert.ToString(1_600_000_000L, 8).PadLeft(11, '0') + "\0");
        Put(148, "        ");
        h[156] = (byte)type;
        Put(257, "ustar\0");
        Put(263, "00");
        var sum = h.Sum(b => (int)b);
        Put(148, Convert.ToString(sum, 8).PadLeft(6, '0') + "\0 ");
        return h;
    }
}
