using System.Buffers;
using System.Runtime.InteropServices;
using System.Text;

namespace ContainerPS.Runtime.Cgroups;

/// <summary>
/// Every read, write, mkdir and rmdir the cgroup managers do goes through here. The default
/// instance talks to the kernel; tests subclass it to act as a fake kernel over a temp
/// directory (populating control files on mkdir, recording writes, failing like the kernel).
/// All paths are absolute. Failures throw <see cref="CgroupException"/> with the errno.
/// </summary>
public class CgroupFiles
{
    /// <summary>The real file system.</summary>
    public static CgroupFiles Default { get; } = new();

    public virtual bool FileExists(string path) => File.Exists(path);

    public virtual bool DirectoryExists(string path) => Directory.Exists(path);

    /// <summary>Subdirectory paths of <paramref name="path"/> (child cgroups); empty when it is gone.</summary>
    public virtual IReadOnlyList<string> ListDirectories(string path)
    {
        try
        {
            return Directory.GetDirectories(path);
        }
        catch (DirectoryNotFoundException)
        {
            return Array.Empty<string>();
        }
    }

    /// <summary>mkdir(2) with mode 0755; returns false when the directory already existed.</summary>
    public virtual bool CreateDirectory(string path)
    {
        if (CgroupNative.mkdir(path, 0x1ED /* 0755 */) == 0) return true;
        var errno = Marshal.GetLastPInvokeError();
        if (errno == Errnos.EEXIST) return false;
        throw new CgroupException("mkdir", path, errno);
    }

    /// <summary>
    /// cgroup v2's device rules: loads <paramref name="program"/> (<see cref="DeviceFilterProgram"/>)
    /// and attaches it to the cgroup at <paramref name="directory"/>, replacing the device program a
    /// previous call attached there.
    /// </summary>
    public virtual void AttachDeviceFilter(string directory, ulong[] program) => BpfNative.AttachDeviceFilter(directory, program);

    /// <summary>rmdir(2). A cgroup directory is removable while it still shows its control files.</summary>
    public virtual void RemoveDirectory(string path)
    {
        if (CgroupNative.rmdir(path) != 0) throw new CgroupException("rmdir", path, Marshal.GetLastPInvokeError());
    }

    /// <summary>The whole content of a control file (seq files are read until EOF).</summary>
    public virtual unsafe string ReadText(string path)
    {
        var fd = Open(path, CgroupNative.O_RDONLY);
        var buffer = ArrayPool<byte>.Shared.Rent(4096);
        try
        {
            var length = 0;
            while (true)
            {
                if (length == buffer.Length)
                {
                    var bigger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                    buffer.AsSpan(0, length).CopyTo(bigger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = bigger;
                }
                nint n;
                fixed (byte* p = &buffer[length])
                    n = CgroupNative.read(fd, p, buffer.Length - length);
                if (n == 0) break;
                if (n < 0)
                {
                    var errno = Marshal.GetLastPInvokeError();
                    if (errno == Errnos.EINTR) continue;
                    throw new CgroupException("read", path, errno);
                }
                length += (int)n;
            }
            return Encoding.UTF8.GetString(buffer, 0, length);
        }
        finally
        {
            CgroupNative.close(fd);
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// Writes <paramref name="value"/> in a single write(2), as the kernel parses each write as one
    /// command. The file must exist (no O_CREAT): on cgroupfs a missing file means a missing controller.
    /// </summary>
    public virtual unsafe void WriteText(string path, string value)
    {
        var bytes = Encoding.UTF8.GetBytes(value);
        var fd = Open(path, CgroupNative.O_WRONLY | CgroupNative.O_TRUNC);
        try
        {
            while (true)
            {
                nint n;
                fixed (byte* p = bytes)
                    n = CgroupNative.write(fd, p, bytes.Length);
                if (n >= 0)
                {
                    if (n != bytes.Length) throw new CgroupException("write", path, Errnos.EIO);
                    return;
                }
                var errno = Marshal.GetLastPInvokeError();
                if (errno != Errnos.EINTR) throw new CgroupException("write", path, errno);
            }
        }
        finally
        {
            CgroupNative.close(fd);
        }
    }

    private static int Open(string path, int flags)
    {
        while (true)
        {
            var fd = CgroupNative.open(path, flags | CgroupNative.O_CLOEXEC, 0);
            if (fd >= 0) return fd;
            var errno = Marshal.GetLastPInvokeError();
            if (errno != Errnos.EINTR) throw new CgroupException("open", path, errno);
        }
    }
}
