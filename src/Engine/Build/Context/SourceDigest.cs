using System.Security.Cryptography;
using System.Text;
using ContainerPS.Engine.Interop;

namespace ContainerPS.Engine.Build.Context;

/// <summary>
/// One digest for everything a COPY/ADD reads from the context: for each entry (a source and,
/// for a directory, everything below it) its path relative to the source, type, permission bits,
/// owner, symlink target and content digest — not mtimes. The same files give the same digest on
/// any machine and after a touch; changing a byte, a mode or an owner changes it.
/// </summary>
public static class SourceDigest
{
    public static string Compute(BuildContext context, IEnumerable<ContextEntry> sources, FileHashCache hashes)
    {
        var text = new StringBuilder();
        foreach (var source in sources)
        {
            Append(text, context, source, source.Path, hashes);
            if (source.IsDirectory)
                foreach (var child in context.Below(source.Path))
                    Append(text, context, child, source.Path.Length == 0 ? child.Path : child.Path[(source.Path.Length + 1)..], hashes);
            text.Append('\n');
        }
        return "sha256:" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString()))).ToLowerInvariant();
    }

    private static void Append(StringBuilder text, BuildContext context, ContextEntry entry, string name, FileHashCache hashes)
    {
        var s = entry.Status;
        text.Append(name).Append('\0').Append(s.Type >> 12).Append(' ').Append(Convert.ToString(s.Permissions, 8))
            .Append(' ').Append(s.Uid).Append(':').Append(s.Gid).Append(' ');
        var full = context.FullPath(entry.Path);
        if (s.IsRegularFile) text.Append(hashes.Digest(full, s));
        else if (s.IsSymbolicLink) text.Append(new FileInfo(full).LinkTarget);
        else if (s.IsCharacterDevice || s.IsBlockDevice) text.Append(s.RDevice);
        text.Append('\n');
    }
}
