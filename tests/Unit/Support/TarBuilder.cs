using System.Formats.Tar;
using System.Text;

namespace ContainerPS.Tests.Unit.Support;

/// <summary>Builds small tar archives in memory for tests.</summary>
public sealed class TarBuilder
{
    private readonly List<TarEntry> _entries = new();

    public TarBuilder File(string name, string content, UnixFileMode mode = (UnixFileMode)0b110_100_100, int uid = 0, int gid = 0)
    {
        var e = new PaxTarEntry(TarEntryType.RegularFile, name)
        {
            DataStream = new MemoryStream(Encoding.UTF8.GetBytes(content)),
            Mode = mode, Uid = uid, Gid = gid, ModificationTime = DateTimeOffset.FromUnixTimeSeconds(1_600_000_000),
        };
        _entries.Add(e);
        return this;
    }

    public TarBuilder Dir(string name, UnixFileMode mode = (UnixFileMode)0b111_101_101)
    {
        _entries.Add(new PaxTarEntry(TarEntryType.Directory, name) { Mode = mode, ModificationTime = DateTimeOffset.FromUnixTimeSeconds(1_600_000_000) });
        return this;
    }

    public TarBuilder Symlink(string name, string target)
    {
        _entries.Add(new PaxTarEntry(TarEntryType.SymbolicLink, name) { LinkName = target, ModificationTime = DateTimeOffset.FromUnixTimeSeconds(1_600_000_000) });
        return this;
    }

    public TarBuilder Entry(TarEntry entry)
    {
        _entries.Add(entry);
        return this;
    }

    public byte[] Build()
    {
        using var ms = new MemoryStream();
        using (var w = new TarWriter(ms, TarEntryFormat.Pax, leaveOpen: true))
            foreach (var e in _entries) w.WriteEntry(e);
        return ms.ToArray();
    }

    public string WriteTo(string path)
    {
        System.IO.File.WriteAllBytes(path, Build());
        return path;
    }
}
