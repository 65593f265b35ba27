using System.Formats.Tar;
using System.Text;

namespace ContainerPS.Tests.Unit.Archive;

/// <summary>Builds small layer tars in memory with System.Formats.Tar.</summary>
internal sealed class TarBuilder
{
    public static readonly DateTimeOffset DefaultTime = new(2021, 6, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly MemoryStream _stream = new();
    private readonly TarWriter _writer;
    private readonly TarEntryFormat _format;

    public TarBuilder(TarEntryFormat format = TarEntryFormat.Pax)
    {
        _format = format;
        _writer = new TarWriter(_stream, format, leaveOpen: true);
    }

    public TarBuilder Add(TarEntry entry)
    {
        _writer.WriteEntry(entry);
        return this;
    }

    public TarEntry NewEntry(TarEntryType type, string name, int mode, int uid = 0, int gid = 0, DateTimeOffset? mtime = null,
        IDictionary<string, string>? pax = null)
    {
        TarEntry entry = _format switch
        {
            TarEntryFormat.Pax => pax is null ? new PaxTarEntry(type, name) : new PaxTarEntry(type, name, pax),
            TarEntryFormat.Gnu => new GnuTarEntry(type, name),
            TarEntryFormat.Ustar => new UstarTarEntry(type, name),
            _ => new V7TarEntry(type, name),
        };
        entry.Mode = (UnixFileMode)mode;
        entry.Uid = uid;
        entry.Gid = gid;
        entry.ModificationTime = mtime ?? DefaultTime;
        return entry;
    }

    public TarBuilder File(string name, string content = "", int mode = 0x1A4 /* 0644 */, int uid = 0, int gid = 0,
        DateTimeOffset? mtime = null, IDictionary<string, string>? pax = null) =>
        File(name, Encoding.UTF8.GetBytes(content), mode, uid, gid, mtime, pax);

    public TarBuilder File(string name, byte[] content, int mode = 0x1A4, int uid = 0, int gid = 0,
        DateTimeOffset? mtime = null, IDictionary<string, string>? pax = null)
    {
        var entry = NewEntry(_format == TarEntryFormat.V7 ? TarEntryType.V7RegularFile : TarEntryType.RegularFile, name, mode, uid, gid, mtime, pax);
        entry.DataStream = new MemoryStream(content);
        return Add(entry);
    }

    public TarBuilder Dir(string name, int mode = 0x1ED /* 0755 */, int uid = 0, int gid = 0, DateTimeOffset? mtime = null,
        IDictionary<string, string>? pax = null) =>
        Add(NewEntry(TarEntryType.Directory, name, mode, uid, gid, mtime, pax));

    public TarBuilder Symlink(string name, string target, int uid = 0, int gid = 0)
    {
        var entry = NewEntry(TarEntryType.SymbolicLink, name, 0x1FF, uid, gid);
        entry.LinkName = target;
        return Add(entry);
    }

    public TarBuilder Hardlink(string name, string target, int mode = 0x1A4)
    {
        var entry = NewEntry(TarEntryType.HardLink, name, mode);
        entry.LinkName = target;
        return Add(entry);
    }

    public TarBuilder Device(TarEntryType type, string name, int major, int minor, int mode = 0x1B6 /* 0666 */)
    {
        var entry = (PosixTarEntry)NewEntry(type, name, mode);
        entry.DeviceMajor = major;
        entry.DeviceMinor = minor;
        return Add(entry);
    }

    public TarBuilder Fifo(string name, int mode = 0x1A4) => Add(NewEntry(TarEntryType.Fifo, name, mode));

    /// <summary>Finishes the archive (end-of-archive blocks) and returns it positioned at 0.</summary>
    public MemoryStream Build()
    {
        _writer.Dispose();
        _stream.Position = 0;
        return _stream;
    }

    public byte[] ToArray() => Build().ToArray();
}
