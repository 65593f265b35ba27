using ContainerPS.Engine.Containers.Spec;

namespace ContainerPS.Tests.Unit.Spec;

/// <summary>An in-memory rootfs: path inside the container → file text.</summary>
public sealed class DictionaryRootfs : IRootfsReader
{
    private readonly Dictionary<string, string> _files = new(StringComparer.Ordinal);

    public DictionaryRootfs With(string path, string text)
    {
        _files[path] = text;
        return this;
    }

    public string? ReadFile(string pathInRootfs) => _files.TryGetValue(pathInRootfs, out var t) ? t : null;

    /// <summary>Debian-like users: root, daemon, www-data (member of adm), app (1000, member of adm and staff).</summary>
    public static DictionaryRootfs Debian() => new DictionaryRootfs()
        .With("/etc/passwd", string.Join('\n',
            "root:x:0:0:root:/root:/bin/bash",
            "daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin",
            "www-data:x:33:33:www-data:/var/www:/usr/sbin/nologin",
            "app:x:1000:1000:App,,,:/home/app:/bin/sh",
            ""))
        .With("/etc/group", string.Join('\n',
            "root:x:0:",
            "daemon:x:1:",
            "adm:x:4:www-data,app",
            "# a comment line",
            "www-data:x:33:",
            "staff:x:50:app",
            "app:x:1000:",
            ""));
}
