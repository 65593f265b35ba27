using ContainerPS.Engine.Archive;

namespace ContainerPS.Engine.Build.Execution;

/// <summary>ADD's test for a local archive, as Docker's: a tar, plain or compressed with gzip, bzip2 or xz (or zstd); anything else is copied as it is.</summary>
internal static class TarProbe
{
    public static async Task<bool> IsArchiveAsync(string path, CancellationToken ct)
    {
        try
        {
            await using var file = File.OpenRead(path);
            await using var plain = Compression.OpenDecompressed(file, out _);
            var header = new byte[512];
            var read = 0;
            while (read < header.Length)
            {
                var n = await plain.ReadAsync(header.AsMemory(read), ct).ConfigureAwait(false);
                if (n == 0) break;
                read += n;
            }
            if (read < 512) return false;
            // POSIX ustar / GNU magic at offset 257, or a v7 header whose checksum adds up.
            var magic = System.Text.Encoding.ASCII.GetString(header, 257, 5);
            return magic == "ustar" || ChecksumMatches(header);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or NotSupportedException or SharpCompress.Common.ArchiveException)
        {
            return false; // a corrupt "archive" is copied as a file, as Docker does
        }
    }

    private static bool ChecksumMatches(byte[] header)
    {
        var text = System.Text.Encoding.ASCII.GetString(header, 148, 8).Trim('\0', ' ');
        if (text.Length == 0) return false;
        try
        {
            var expected = Convert.ToInt64(text, 8);
            long sum = 0;
            for (var i = 0; i < 512; i++) sum += i is >= 148 and < 156 ? (byte)' ' : header[i];
            return sum == expected;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
