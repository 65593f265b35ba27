using System.Formats.Tar;
using System.Security.Cryptography;
using System.Text;
using ContainerPS.Engine.Archive;
using ContainerPS.Engine.Containers;
using ContainerPS.Engine.Errors;
using ContainerPS.Engine.Interop;
using ContainerPS.Tests.Unit.Support;

namespace ContainerPS.Tests.Unit.Commit;

/// <summary>
/// An overlay upper directory made by hand (0:0 character devices for deleted files,
/// trusted.overlay.opaque=y for replaced directories) turned into a layer tar.
/// </summary>
public sealed class LayerDiffWriterTests : IDisposable
{
    private static readonly DateTimeOffset Old = new(2020, 1, 2, 3, 4, 5, TimeSpan.Zero);
    private static readonly DateTimeOffset Epoch = new(2021, 6, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly string _base = Path.Combine(Path.GetTempPath(), "cps-diff-" + Guid.NewGuid().ToString("N")[..10]);

    public LayerDiffWriterTests() => Directory.CreateDirectory(Upper);

    private string Upper => Path.Combine(_base, "upper");

    public void Dispose() => FileSystem.RemoveAll(_base);

    private string At(string relative) => Path.Combine(Upper, relative);

    private void MakeFile(string relative, string content, uint mode = 0x1A4, int uid = 0, int gid = 0)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(At(relative))!);
        File.WriteAllText(At(relative), content);
        FileSystem.LChown(At(relative), uid, gid);
        FileSystem.Chmod(At(relative), mode);
    }

    private void MakeWhiteout(string relative) => FileSystem.MakeNode(At(relative), FileStatus.S_IFCHR, 0);

    /// <summary>A typical container upper dir: changed, added, deleted and replaced things.</summary>
    private void MakeTypicalUpper()
    {
        Directory.CreateDirectory(At("etc"));
        MakeFile("etc/motd", "hello from the container\n");
        MakeWhiteout("etc/shadow-");
        MakeFile("bin/tool", "#!/bin/sh\n", mode: 0x9ED /* 04755 */, uid: 1000, gid: 1000);
        FileSystem.HardLink(At("bin/tool"), At("bin/tool-again"));
        FileSystem.SymLink("../etc/motd", At("bin/motd-link"));
        FileSystem.MakeNode(At("bin/pipe"), FileStatus.S_IFIFO | 0x1A4, 0);
        FileSystem.MakeNode(At("bin/null"), FileStatus.S_IFCHR | 0x1B6, FileSystem.MakeDevice(1, 3));
        Directory.CreateDirectory(At("var/cache"));
        FileSystem.SetXattr(At("var/cache"), "trusted.overlay.opaque", "y"u8);
        MakeFile("var/cache/new", "fresh");
        FileSystem.SetXattr(At("etc/motd"), "user.note", "kept"u8);
        FileSystem.SetXattr(At("etc/motd"), "trusted.overlay.origin", "overlay bookkeeping"u8);
        MakeWhiteout("gone-dir");
        foreach (var path in Directory.GetFileSystemEntries(Upper, "*", SearchOption.AllDirectories).Append(Upper))
            FileSystem.SetTimes(path, Old);
    }

    private static List<TarEntry> ReadEntries(byte[] tar)
    {
        var entries = new List<TarEntry>();
        using var reader = new TarReader(new MemoryStream(tar));
        while (reader.GetNextEntry(copyData: true) is { } e) entries.Add(e);
        return entries;
    }

    private byte[] Diff(LayerDiffWriter? writer = null)
    {
        using var output = new MemoryStream();
        var blob = (writer ?? new LayerDiffWriter()).WriteDiff(Upper, output);
        var bytes = output.ToArray();
        Assert.Equal(bytes.Length, blob.Size);
        Assert.Equal("sha256:" + Convert.ToHexString(SHA256.HashData(bytes)).ToLowerInvariant(), blob.Digest.ToString());
        return bytes;
    }

    [Fact]
    public void Overlay_whiteouts_and_opaque_directories_become_oci_whiteouts_in_walk_order()
    {
        MakeTypicalUpper();

        var entries = ReadEntries(Diff());

        Assert.Equal(new[]
        {
            "bin/", "bin/motd-link", "bin/null", "bin/pipe", "bin/tool", "bin/tool-again",
            "etc/", "etc/motd", "etc/.wh.shadow-",
            ".wh.gone-dir",
            "var/", "var/cache/", "var/cache/.wh..wh..opq", "var/cache/new",
        }, entries.Select(e => e.Name));

        var whiteout = entries.Single(e => e.Name == "etc/.wh.shadow-");
        Assert.Equal(TarEntryType.RegularFile, whiteout.EntryType);
        Assert.Equal(0, whiteout.Length);
        Assert.Equal((UnixFileMode)0x180, whiteout.Mode);

        var opaque = entries.Single(e => e.Name == "var/cache/.wh..wh..opq");
        Assert.Equal(TarEntryType.RegularFile, opaque.EntryType);
        // Its only xattr was overlay's own: nothing needs a pax header.
        Assert.IsType<UstarTarEntry>(entries.Single(e => e.Name == "var/cache/"));

        var tool = entries.Single(e => e.Name == "bin/tool");
        Assert.Equal(TarEntryType.RegularFile, tool.EntryType);
        Assert.Equal((UnixFileMode)0x9ED, tool.Mode); // setuid kept
        Assert.Equal(1000, tool.Uid);
        Assert.Equal(1000, tool.Gid);
        Assert.Equal("#!/bin/sh\n", new StreamReader(tool.DataStream!).ReadToEnd());
        var again = entries.Single(e => e.Name == "bin/tool-again");
        Assert.Equal(TarEntryType.HardLink, again.EntryType);
        Assert.Equal("bin/tool", again.LinkName);

        var link = entries.Single(e => e.Name == "bin/motd-link");
        Assert.Equal(TarEntryType.SymbolicLink, link.EntryType);
        Assert.Equal("../etc/motd", link.LinkName);
        Assert.Equal(TarEntryType.Fifo, entries.Single(e => e.Name == "bin/pipe").EntryType);
        var device = (PosixTarEntry)entries.Single(e => e.Name == "bin/null");
        Assert.Equal(TarEntryType.CharacterDevice, device.EntryType);
        Assert.Equal((1, 3), (device.DeviceMajor, device.DeviceMinor));

        var motd = (PaxTarEntry)entries.Single(e => e.Name == "etc/motd");
        Assert.Equal("kept", motd.ExtendedAttributes["SCHILY.xattr.user.note"]);
        Assert.DoesNotContain(motd.ExtendedAttributes.Keys, k => k.Contains("trusted.overlay", StringComparison.Ordinal));
        Assert.All(entries, e => Assert.Equal(Old, e.ModificationTime));
        Assert.All(entries, e => Assert.Equal("", ((PosixTarEntry)e).UserName));
    }

    [Fact]
    public async Task The_diff_extracts_back_to_the_same_overlay_upper_directory()
    {
        MakeTypicalUpper();
        var target = Path.Combine(_base, "unpacked");

        await new LayerExtractor(WhiteoutMode.Overlay).ExtractAsync(new MemoryStream(Diff()), target, "diff");

        foreach (var relative in new[] { "etc/shadow-", "gone-dir" })
        {
            var status = FileSystem.LStat(Path.Combine(target, relative));
            Assert.True(status.IsCharacterDevice);
            Assert.Equal(0UL, status.RDevice);
        }
        Assert.Equal("y", Encoding.ASCII.GetString(FileSystem.GetXattr(Path.Combine(target, "var/cache"), "trusted.overlay.opaque")!));
        Assert.Equal("kept", Encoding.ASCII.GetString(FileSystem.GetXattr(Path.Combine(target, "etc/motd"), "user.note")!));
        Assert.Null(FileSystem.GetXattr(Path.Combine(target, "etc/motd"), "trusted.overlay.origin"));
        var tool = FileSystem.LStat(Path.Combine(target, "bin/tool"));
        Assert.Equal(0x9EDu, tool.Permissions);
        Assert.Equal(tool.Inode, FileSystem.LStat(Path.Combine(target, "bin/tool-again")).Inode);
        Assert.Equal(Old, FileSystem.LStat(Path.Combine(target, "etc")).Modified);
    }

    [Fact]
    public void An_unchanged_upper_directory_is_the_empty_tar_docker_adds_no_layer_for()
    {
        using var output = new MemoryStream();
        var blob = new LayerDiffWriter().WriteDiff(Upper, output);

        Assert.Equal(new byte[1024], output.ToArray());
        Assert.Equal(ContainerManager.EmptyLayerDiffId, blob.Digest);
        Assert.Equal("sha256:5f70bf18a086007016e948b04aed3b82103a36bea41755b6cddfaf10ace3c6ef", blob.Digest.ToString());
    }

    [Fact]
    public void With_a_source_date_epoch_later_mtimes_are_clamped_and_the_bytes_repeat()
    {
        MakeTypicalUpper();
        MakeFile("etc/new-today", "now");
        var writer = new LayerDiffWriter { SourceDateEpoch = Epoch };

        FileSystem.SetTimes(At("etc"), DateTimeOffset.UtcNow);
        var first = Diff(writer);
        // Touched again later: times after the epoch must not show.
        FileSystem.SetTimes(At("etc/new-today"), DateTimeOffset.UtcNow.AddMinutes(-Random.Shared.Next(1, 100)));
        FileSystem.SetTimes(At("etc"), DateTimeOffset.UtcNow.AddDays(3));
        var second = Diff(writer);

        Assert.Equal(first, second);
        var entries = ReadEntries(first);
        Assert.Equal(Epoch, entries.Single(e => e.Name == "etc/new-today").ModificationTime);
        Assert.Equal(Epoch, entries.Single(e => e.Name == "etc/").ModificationTime);
        Assert.Equal(Old, entries.Single(e => e.Name == "etc/motd").ModificationTime); // earlier times stay
    }

    [Fact]
    public void The_bytes_do_not_depend_on_the_process_pax_headers_are_named_like_go()
    {
        MakeFile("etc/motd", "x");
        FileSystem.SetXattr(At("etc/motd"), "user.a", "b"u8);
        var tar = Diff();

        // System.Formats.Tar would write "PaxHeaders.<pid>"; Go (moby, containerd) writes PaxHeaders.0.
        var text = Encoding.Latin1.GetString(tar);
        Assert.Contains("etc/PaxHeaders.0/motd\0", text);
        Assert.DoesNotContain($"PaxHeaders.{Environment.ProcessId}", text);
    }

    [Fact]
    public void Long_and_non_ascii_names_and_big_owner_ids_round_trip_through_pax()
    {
        var longDir = string.Join('/', Enumerable.Repeat("abcdefghij", 12));        // 131 bytes: ustar prefix split
        var veryLong = string.Join('/', Enumerable.Repeat("0123456789abcdef", 20));  // > 256: pax path
        MakeFile(longDir + "/file", "1");
        MakeFile(veryLong + "/file", "2");
        MakeFile("données/été.txt", "3", uid: 3_000_000, gid: 70_000);
        FileSystem.SymLink(new string('t', 150), At("long-link"));

        var entries = ReadEntries(Diff());

        Assert.Contains(entries, e => e.Name == longDir + "/file");
        Assert.Contains(entries, e => e.Name == veryLong + "/file");
        var ete = entries.Single(e => e.Name == "données/été.txt");
        Assert.Equal((3_000_000, 70_000), (ete.Uid, ete.Gid));
        Assert.Equal(new string('t', 150), entries.Single(e => e.Name == "long-link").LinkName);
    }

    [Fact]
    public void Gnu_tar_reads_the_archive_with_its_xattrs()
    {
        MakeTypicalUpper();
        var file = Path.Combine(_base, "diff.tar");
        File.WriteAllBytes(file, Diff());

        var listing = Tool.Check(Tool.Require("tar"), "--xattrs", "--xattrs-include=*", "-tvf", file);

        Assert.Contains("etc/.wh.shadow-", listing);
        Assert.Contains("var/cache/.wh..wh..opq", listing);
        Assert.Contains("bin/tool-again link to bin/tool", listing);
        var extracted = Directory.CreateDirectory(Path.Combine(_base, "gnu")).FullName;
        Tool.Check("tar", "--xattrs", "--xattrs-include=user.*", "-xpf", file, "-C", extracted);
        Assert.Equal("hello from the container\n", File.ReadAllText(Path.Combine(extracted, "etc/motd")));
        Assert.Equal("kept", Encoding.ASCII.GetString(FileSystem.GetXattr(Path.Combine(extracted, "etc/motd"), "user.note")!));
    }

    [Fact]
    public async Task A_capability_xattr_value_with_nul_bytes_survives_the_round_trip()
    {
        // vfs_cap_data v2 for cap_net_raw+ep: magic 0x02000001, permitted 1<<13.
        byte[] capability = { 0x01, 0x00, 0x00, 0x02, 0x00, 0x20, 0x00, 0x00, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 };
        MakeFile("bin/ping", "ping");
        FileSystem.SetXattr(At("bin/ping"), "security.capability", capability);
        var target = Path.Combine(_base, "unpacked");

        await new LayerExtractor(WhiteoutMode.Overlay).ExtractAsync(new MemoryStream(Diff()), target, "diff");

        Assert.Equal(capability, FileSystem.GetXattr(Path.Combine(target, "bin/ping"), "security.capability"));
    }

    [Fact]
    public void A_binary_xattr_value_is_written_raw_and_as_libarchive_base64()
    {
        byte[] binary = { 0x01, 0x00, 0x00, 0x02, 0xFF, 0xFF, 0xFF, 0xFF, 0x80 };
        MakeFile("bin/tool", "t");
        FileSystem.SetXattr(At("bin/tool"), "user.blob", binary);
        var file = Path.Combine(_base, "diff.tar");
        File.WriteAllBytes(file, Diff());

        var extracted = Directory.CreateDirectory(Path.Combine(_base, "gnu")).FullName;
        Tool.Check("tar", "--xattrs", "--xattrs-include=user.*", "-xpf", file, "-C", extracted);
        Assert.Equal(binary, FileSystem.GetXattr(Path.Combine(extracted, "bin/tool"), "user.blob"));
        var pax = (PaxTarEntry)ReadEntries(File.ReadAllBytes(file)).Single(e => e.Name == "bin/tool");
        Assert.Equal(Convert.ToBase64String(binary), pax.ExtendedAttributes["LIBARCHIVE.xattr.user.blob"]);
    }

    [Fact]
    public void A_directory_renamed_with_redirect_dir_cannot_be_diffed_from_the_upper_directory()
    {
        Directory.CreateDirectory(At("moved"));
        FileSystem.SetXattr(At("moved"), "trusted.overlay.redirect", "/original"u8);

        var e = Assert.Throws<ArchiveException>(() => Diff());

        Assert.Equal("UnsupportedOverlayFeature", e.ErrorId);
        Assert.Contains("moved", e.Message);
    }

    [Fact]
    public void Sockets_are_skipped_and_the_tree_mode_keeps_character_devices_as_they_are()
    {
        MakeWhiteout("dev0");
        using (var socket = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.Unix, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Unspecified))
            socket.Bind(new System.Net.Sockets.UnixDomainSocketEndPoint(At("sock")));

        using var output = new MemoryStream();
        new LayerDiffWriter().WriteTree(Upper, output);
        var entries = ReadEntries(output.ToArray());

        var device = Assert.Single(entries);
        Assert.Equal("dev0", device.Name);
        Assert.Equal(TarEntryType.CharacterDevice, device.EntryType);
    }

    [Fact]
    public void A_symlinked_directory_is_archived_as_a_link_and_never_followed()
    {
        var outside = Directory.CreateDirectory(Path.Combine(_base, "host-secrets")).FullName;
        File.WriteAllText(Path.Combine(outside, "shadow"), "secret");
        FileSystem.SymLink(outside, At("escape"));

        var entries = ReadEntries(Diff());

        var link = Assert.Single(entries);
        Assert.Equal(TarEntryType.SymbolicLink, link.EntryType);
        Assert.Equal(outside, link.LinkName);
    }

    [Fact]
    public void Cancellation_stops_the_walk()
    {
        MakeTypicalUpper();
        using var cts = new CancellationTokenSource();
        cts.Cancel();

        Assert.ThrowsAny<OperationCanceledException>(() => new LayerDiffWriter().WriteDiff(Upper, new MemoryStream(), cts.Token));
    }

    [Theory]
    [InlineData("1622505600", 1622505600L)]
    [InlineData(" 0 ", 0L)]
    [InlineData("", null)]
    [InlineData(null, null)]
    public void Source_date_epoch_values_are_whole_seconds_since_1970(string? value, long? seconds)
    {
        Assert.Equal(seconds is { } s ? DateTimeOffset.FromUnixTimeSeconds(s) : null, LayerDiffWriter.ParseSourceDateEpoch(value));
    }

    [Theory]
    [InlineData("yesterday")]
    [InlineData("-5")]
    [InlineData("1.5")]
    public void A_malformed_source_date_epoch_is_refused(string value)
    {
        Assert.Equal("InvalidSourceDateEpoch", Assert.Throws<InvalidArgumentException>(() => LayerDiffWriter.ParseSourceDateEpoch(value)).ErrorId);
    }
}
