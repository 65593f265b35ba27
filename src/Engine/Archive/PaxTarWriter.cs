using System.Buffers;
using System.Formats.Tar;
using System.Security.Cryptography;
using System.Text;
using ContainerPS.Engine.Store;

namespace ContainerPS.Engine.Archive;

/// <summary>
/// Writes a POSIX.1-2001 (pax) tar stream whose bytes depend only on the entries given, and
/// hashes it (sha256) while writing, so a layer's diff ID is known when the last byte is out.
/// </summary>
/// <remarks>
/// Not System.Formats.Tar's TarWriter, for two reasons found on .NET 10: it names every pax
/// extended header <c>PaxHeaders.&lt;pid&gt;/…</c>, so the same tree written by two processes gives
/// two digests (layer tars must be reproducible: same inputs, same diff ID); and it writes pax
/// values as UTF-8 text, so a binary xattr value (security.capability) cannot be written at all.
/// The layout is Go's archive/tar (what moby, containerd and BuildKit produce): a ustar header per
/// entry (names up to 256 bytes split into prefix/name), preceded by one pax 'x' header named
/// <c>&lt;dir&gt;/PaxHeaders.0/&lt;base&gt;</c> only when a field does not fit ustar or the entry has
/// xattrs; pax records sorted by key; whole-second mtimes; empty uname/gname (numeric owners);
/// two zero blocks at the end, no record padding — an empty archive is the 1024 zero bytes whose
/// digest Docker treats as "empty layer".
/// </remarks>
internal sealed class PaxTarWriter
{
    private const int BlockSize = 512;
    private const int NameSize = 100, PrefixSize = 155;
    private const long MaxOctal7 = 0x1FFFFF;          // 07777777: mode, uid, gid, devmajor, devminor
    private const long MaxOctal11 = 0x1FFFFFFFF;      // 077777777777: size, mtime
    private const int CopyBufferSize = 128 * 1024;

    private readonly Stream _output;
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private readonly byte[] _block = new byte[BlockSize];
    private bool _finished;

    public PaxTarWriter(Stream output)
    {
        ArgumentNullException.ThrowIfNull(output);
        _output = output;
    }

    /// <summary>Bytes written so far.</summary>
    public long Length { get; private set; }

    /// <summary>Entries written so far (pax extended headers not counted).</summary>
    public long Entries { get; private set; }

    /// <summary>
    /// One entry of the archive. <see cref="Name"/> is relative with '/' separators (directories end
    /// in '/'); <see cref="Mode"/> holds the permission bits with setuid/setgid/sticky;
    /// <see cref="Xattrs"/> must be sorted by name for reproducible output.
    /// </summary>
    public readonly record struct Entry(
        string Name,
        TarEntryType Type,
        uint Mode,
        long Uid,
        long Gid,
        long Size,
        long ModifiedSeconds,
        string? LinkName = null,
        uint DeviceMajor = 0,
        uint DeviceMinor = 0,
        IReadOnlyList<KeyValuePair<string, byte[]>>? Xattrs = null);

    /// <summary>
    /// Writes <paramref name="entry"/> and, for a regular file, exactly <see cref="Entry.Size"/>
    /// bytes of <paramref name="data"/>: a file that shrank while it was read is padded with zeros
    /// and one that grew is cut, so the archive stays well-formed (what GNU tar does, with a warning).
    /// </summary>
    /// <returns>The number of bytes of <paramref name="data"/> that were really read (at most Size).</returns>
    public long Write(in Entry entry, Stream? data, CancellationToken cancellationToken = default)
    {
        if (_finished) throw new InvalidOperationException("the archive is already finished");
        if (entry.Type == TarEntryType.RegularFile && entry.Size > 0 && data is null)
            throw new ArgumentException("a regular file with content needs its data", nameof(data));

        var pax = new SortedDictionary<string, byte[]>(StringComparer.Ordinal);
        var ustarName = entry.Name;
        var prefix = "";
        if (!FitsAscii(entry.Name, NameSize))
        {
            if (SplitUstarPath(entry.Name, out var p, out var n))
            {
                prefix = p;
                ustarName = n;
            }
            else
            {
                pax["path"] = Encoding.UTF8.GetBytes(entry.Name);
                ustarName = BestEffortAscii(entry.Name, NameSize);
            }
        }
        var linkName = entry.LinkName ?? "";
        if (!FitsAscii(linkName, NameSize))
        {
            pax["linkpath"] = Encoding.UTF8.GetBytes(linkName);
            linkName = BestEffortAscii(linkName, NameSize);
        }
        var size = entry.Type is TarEntryType.RegularFile ? entry.Size : 0;
        var uid = NumberOrPax(entry.Uid, MaxOctal7, "uid", pax);
        var gid = NumberOrPax(entry.Gid, MaxOctal7, "gid", pax);
        var sizeField = NumberOrPax(size, MaxOctal11, "size", pax);
        var mtime = NumberOrPax(entry.ModifiedSeconds, MaxOctal11, "mtime", pax);
        if (entry.Xattrs is { } xattrs)
        {
            foreach (var (name, value) in xattrs)
            {
                // SCHILY.xattr is what Go (moby, containerd), GNU tar and bsdtar read; pax values are
                // length-prefixed, so the raw bytes go in as they are. A value that is not valid UTF-8
                // is repeated as libarchive's base64 record, which readers that decode pax values as
                // text (System.Formats.Tar) could use to get it back exactly.
                pax["SCHILY.xattr." + name] = value;
                if (!IsUtf8Text(value))
                    pax["LIBARCHIVE.xattr." + Uri.EscapeDataString(name)] = Encoding.ASCII.GetBytes(Convert.ToBase64String(value));
            }
        }

        if (pax.Count > 0) WritePaxHeader(entry.Name, pax, cancellationToken);

        Array.Clear(_block);
        PutString(0, NameSize, ustarName);
        PutOctal(100, 8, entry.Mode & 0xFFF);
        PutOctal(108, 8, uid);
        PutOctal(116, 8, gid);
        PutOctal(124, 12, sizeField);
        PutOctal(136, 12, mtime);
        _block[156] = (byte)entry.Type;
        PutString(157, NameSize, linkName);
        PutMagic();
        PutOctal(329, 8, entry.Type is TarEntryType.CharacterDevice or TarEntryType.BlockDevice ? Math.Min(entry.DeviceMajor, MaxOctal7) : 0);
        PutOctal(337, 8, entry.Type is TarEntryType.CharacterDevice or TarEntryType.BlockDevice ? Math.Min(entry.DeviceMinor, MaxOctal7) : 0);
        PutString(345, PrefixSize, prefix);
        PutChecksum();
        Emit(_block, cancellationToken);
        Entries++;

        return size > 0 ? CopyData(data!, size, cancellationToken) : 0;
    }

    /// <summary>Writes the end-of-archive marker (two zero blocks), flushes, and returns the archive's digest.</summary>
    public Digest Finish(CancellationToken cancellationToken = default)
    {
        if (_finished) throw new InvalidOperationException("the archive is already finished");
        Array.Clear(_block);
        Emit(_block, cancellationToken);
        Emit(_block, cancellationToken);
        _output.Flush();
        _finished = true;
        return Digest.FromHash(_hash.GetHashAndReset());
    }

    private void WritePaxHeader(string realName, SortedDictionary<string, byte[]> records, CancellationToken cancellationToken)
    {
        using var body = new MemoryStream();
        foreach (var (key, value) in records) AppendRecord(body, key, value);
        var data = body.GetBuffer().AsSpan(0, (int)body.Length);

        // Go's name for the header: path.Join(dir, "PaxHeaders.0", file); ASCII, cut to 100 bytes.
        var slash = realName.TrimEnd('/').LastIndexOf('/');
        var dir = slash < 0 ? "" : realName[..(slash + 1)];
        var file = realName[(slash + 1)..].TrimEnd('/');
        var name = BestEffortAscii(dir + "PaxHeaders.0" + (file.Length > 0 ? "/" + file : ""), NameSize).TrimEnd('/');

        Array.Clear(_block);
        PutString(0, NameSize, name);
        PutOctal(100, 8, 0);
        PutOctal(108, 8, 0);
        PutOctal(116, 8, 0);
        PutOctal(124, 12, data.Length);
        PutOctal(136, 12, 0);
        _block[156] = (byte)TarEntryType.ExtendedAttributes;
        PutMagic();
        PutChecksum();
        Emit(_block, cancellationToken);
        Emit(data, cancellationToken);
        Pad(data.Length, cancellationToken);
    }

    /// <summary>"%d %s=%s\n", where the leading length counts the whole record including itself.</summary>
    private static void AppendRecord(MemoryStream body, string key, byte[] value)
    {
        var keyBytes = Encoding.UTF8.GetBytes(key);
        var size = keyBytes.Length + value.Length + 3; // ' ', '=', '\n'
        size += size.ToString(System.Globalization.CultureInfo.InvariantCulture).Length;
        var prefix = size.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (prefix.Length + 3 + keyBytes.Length + value.Length != size)
        {
            size = prefix.Length + 3 + keyBytes.Length + value.Length;
            prefix = size.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        body.Write(Encoding.ASCII.GetBytes(prefix + " "));
        body.Write(keyBytes);
        body.WriteByte((byte)'=');
        body.Write(value);
        body.WriteByte((byte)'\n');
    }

    private long CopyData(Stream data, long size, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(CopyBufferSize);
        try
        {
            long done = 0;
            while (done < size)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var want = (int)Math.Min(buffer.Length, size - done);
                var n = data.Read(buffer, 0, want);
                if (n <= 0) break;
                Emit(buffer.AsSpan(0, n), cancellationToken);
                done += n;
            }
            var read = done;
            if (done < size)
            {
                // The file shrank after it was measured: keep the header's promise with zeros.
                Array.Clear(buffer);
                while (done < size)
                {
                    var n = (int)Math.Min(buffer.Length, size - done);
                    Emit(buffer.AsSpan(0, n), cancellationToken);
                    done += n;
                }
            }
            Pad(size, cancellationToken);
            return read;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private void Pad(long length, CancellationToken cancellationToken)
    {
        var rest = (int)(length % BlockSize);
        if (rest == 0) return;
        Span<byte> zeros = stackalloc byte[BlockSize];
        zeros.Clear();
        Emit(zeros[..(BlockSize - rest)], cancellationToken);
    }

    private void Emit(ReadOnlySpan<byte> bytes, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        _output.Write(bytes);
        _hash.AppendData(bytes);
        Length += bytes.Length;
    }

    private static long NumberOrPax(long value, long max, string key, SortedDictionary<string, byte[]> pax)
    {
        if (value >= 0 && value <= max) return value;
        pax[key] = Encoding.ASCII.GetBytes(value.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return 0;
    }

    private void PutString(int offset, int size, string value)
    {
        var bytes = Encoding.UTF8.GetBytes(value);
        bytes.AsSpan(0, Math.Min(bytes.Length, size)).CopyTo(_block.AsSpan(offset, size));
    }

    /// <summary>size-1 octal digits with leading zeros, then NUL (Go's formatOctal).</summary>
    private void PutOctal(int offset, int size, long value)
    {
        var digits = Convert.ToString(value, 8).PadLeft(size - 1, '0');
        Encoding.ASCII.GetBytes(digits, _block.AsSpan(offset, size - 1));
        _block[offset + size - 1] = 0;
    }

    private void PutMagic()
    {
        "ustar\0"u8.CopyTo(_block.AsSpan(257));
        "00"u8.CopyTo(_block.AsSpan(263));
    }

    /// <summary>Sum of the header bytes with the checksum field read as spaces; written as 6 digits, NUL, space.</summary>
    private void PutChecksum()
    {
        "        "u8.CopyTo(_block.AsSpan(148));
        long sum = 0;
        foreach (var b in _block) sum += b;
        PutOctal(148, 7, sum);
        _block[155] = (byte)' ';
    }

    private static bool FitsAscii(string s, int size) => s.Length <= size && IsAscii(s);

    private static bool IsAscii(string s)
    {
        foreach (var c in s)
            if (c >= 0x80 || c == 0) return false;
        return true;
    }

    private static string BestEffortAscii(string s, int size)
    {
        var sb = new StringBuilder(Math.Min(s.Length, size));
        foreach (var c in s)
        {
            if (c is > '\0' and < (char)0x80) sb.Append(c);
            if (sb.Length == size) break;
        }
        return sb.ToString();
    }

    /// <summary>Go's splitUSTARPath: a prefix of at most 155 bytes and a name of 1..100 bytes, split at a '/'.</summary>
    private static bool SplitUstarPath(string name, out string prefix, out string suffix)
    {
        prefix = suffix = "";
        var length = name.Length;
        if (length <= NameSize || !IsAscii(name)) return false;
        if (length > PrefixSize + 1) length = PrefixSize + 1;
        else if (name[length - 1] == '/') length--;
        var i = name.LastIndexOf('/', length - 1);
        var nameLength = name.Length - i - 1;
        if (i <= 0 || nameLength > NameSize || nameLength == 0 || i > PrefixSize) return false;
        prefix = name[..i];
        suffix = name[(i + 1)..];
        return true;
    }

    private static bool IsUtf8Text(byte[] value)
    {
        try
        {
            var text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(value);
            return !text.Contains('\uFFFD');
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
    }
}
