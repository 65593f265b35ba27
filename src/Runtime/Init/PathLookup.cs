using ContainerPS.Runtime.Linux;

namespace ContainerPS.Runtime.Init;

/// <summary>
/// Finds the program to execve the way Go's exec.LookPath does for runc: a name with a '/'
/// is used as is, anything else is searched in the PATH of the process's own environment
/// (not the init's), inside the container root.
/// </summary>
public static class PathLookup
{
    /// <summary>The path to execve for <paramref name="file"/>.</summary>
    /// <exception cref="ContainerInitException">
    /// Not found ("exec: \"foo\": executable file not found in $PATH"), not executable, a directory,
    /// or found only through a relative PATH entry.
    /// </exception>
    public static string Find(ISyscalls sys, string file, IReadOnlyList<string> env)
    {
        if (file.Length == 0) throw new ContainerInitException("exec: no command");
        if (file.Contains('/'))
        {
            var errno = Check(sys, file);
            if (errno == 0) return file;
            throw new ContainerInitException($"exec: \"{file}\": stat {file}: {Text(errno)}", new SyscallError("stat", file, errno));
        }
        var path = env.LastOrDefault(e => e.StartsWith("PATH=", StringComparison.Ordinal))?[5..] ?? "";
        if (path.Length > 0)
        {
            foreach (var entry in path.Split(':'))
            {
                var dir = entry.Length == 0 ? "." : entry;
                var candidate = dir.EndsWith('/') ? dir + file : dir + "/" + file;
                if (Check(sys, candidate) != 0) continue;
                if (!candidate.StartsWith('/'))
                    throw new ContainerInitException($"exec: \"{file}\": cannot run executable found relative to current directory");
                return candidate;
            }
        }
        throw new ContainerInitException($"exec: \"{file}\": executable file not found in $PATH",
            new SyscallError("lookup", file, Errno.ENOENT));
    }

    /// <summary>Go's findExecutable: 0 for a non-directory with an execute bit, else the errno.</summary>
    private static int Check(ISyscalls sys, string path)
    {
        var st = sys.Stat(path);
        if (st is null) return Errno.ENOENT;
        if (st.Value.IsDirectory) return Errno.EISDIR;
        return (st.Value.Mode & 0x49) != 0 ? 0 : Errno.EACCES; // 0111
    }

    /// <summary>strerror text in Go's lower-case style ("no such file or directory").</summary>
    internal static string Text(int errno)
    {
        var s = Errno.Describe(errno);
        return s.Length > 0 ? char.ToLowerInvariant(s[0]) + s[1..] : s;
    }
}
