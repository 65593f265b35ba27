using System.Runtime.InteropServices;
using ContainerPS.Engine.Interop;
using ContainerPS.Tests.Unit.Support;

namespace ContainerPS.Tests.Unit.Interop;

/// <summary>
/// The constants and struct layouts our LibraryImports use are checked against the C
/// headers of this machine by compiling a small program with gcc.
/// </summary>
public sealed class NativeConstantsTests
{
    [Fact]
    public void Constants_and_struct_sizes_match_the_c_headers()
    {
        var gcc = Tool.Require("gcc");
        var dir = Directory.CreateTempSubdirectory("cps-hdr-").FullName;
        try
        {
            var source = Path.Combine(dir, "c.c");
            File.WriteAllText(source, """
                #define _GNU_SOURCE
                #include <fcntl.h>
                #include <stdio.h>
                #include <sys/file.h>
                #include <sys/stat.h>
                #include <time.h>
                int main(void) {
                  printf("O_RDONLY=%d\nO_WRONLY=%d\nO_RDWR=%d\nO_CREAT=%d\nO_DIRECTORY=%d\nO_CLOEXEC=%d\n", O_RDONLY, O_WRONLY, O_RDWR, O_CREAT, O_DIRECTORY, O_CLOEXEC);
                  printf("LOCK_SH=%d\nLOCK_EX=%d\nLOCK_NB=%d\nLOCK_UN=%d\n", LOCK_SH, LOCK_EX, LOCK_NB, LOCK_UN);
                  printf("AT_FDCWD=%d\nAT_SYMLINK_NOFOLLOW=%d\nUTIME_OMIT=%ld\n", AT_FDCWD, AT_SYMLINK_NOFOLLOW, (long)UTIME_OMIT);
                  printf("sizeof_timespec=%zu\n", sizeof(struct timespec));
                  return 0;
                }
                """);
            Tool.Check(gcc, "-o", Path.Combine(dir, "c"), source);
            var values = Tool.Check(Path.Combine(dir, "c")).Split('\n', StringSplitOptions.RemoveEmptyEntries)
                .Select(l => l.Split('=')).ToDictionary(p => p[0], p => long.Parse(p[1]));

            Assert.Equal(NativeMethods.O_RDONLY, values["O_RDONLY"]);
            Assert.Equal(NativeMethods.O_WRONLY, values["O_WRONLY"]);
            Assert.Equal(NativeMethods.O_RDWR, values["O_RDWR"]);
            Assert.Equal(NativeMethods.O_CREAT, values["O_CREAT"]);
            Assert.Equal(NativeMethods.O_DIRECTORY, values["O_DIRECTORY"]);
            Assert.Equal(NativeMethods.O_CLOEXEC, values["O_CLOEXEC"]);
            Assert.Equal(ContainerPS.Runtime.IO.IoNative.O_RDWR, values["O_RDWR"]);
            Assert.Equal(ContainerPS.Runtime.IO.IoNative.O_CREAT, values["O_CREAT"]);
            Assert.Equal(ContainerPS.Runtime.IO.IoNative.O_CLOEXEC, values["O_CLOEXEC"]);
            Assert.Equal(ContainerPS.Runtime.IO.IoNative.LOCK_SH, values["LOCK_SH"]);
            Assert.Equal(ContainerPS.Runtime.IO.IoNative.LOCK_EX, values["LOCK_EX"]);
            Assert.Equal(ContainerPS.Runtime.IO.IoNative.LOCK_NB, values["LOCK_NB"]);
            Assert.Equal(ContainerPS.Runtime.IO.IoNative.LOCK_UN, values["LOCK_UN"]);
            Assert.Equal(NativeMethods.AT_FDCWD, values["AT_FDCWD"]);
            Assert.Equal(NativeMethods.AT_SYMLINK_NOFOLLOW, values["AT_SYMLINK_NOFOLLOW"]);
            Assert.Equal(NativeMethods.UTIME_OMIT, values["UTIME_OMIT"]);
            Assert.Equal(values["sizeof_timespec"], Marshal.SizeOf<NativeMethods.Timespec>());
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Theory]
    [InlineData(1u, 3u)]
    [InlineData(136u, 300u)]
    [InlineData(4095u, 1048575u)]
    public void Makedev_matches_glibc(uint major, uint minor)
    {
        var gcc = Tool.Require("gcc");
        var dir = Directory.CreateTempSubdirectory("cps-dev-").FullName;
        try
        {
            var source = Path.Combine(dir, "d.c");
            File.WriteAllText(source, "#include <stdio.h>\n#include <sys/sysmacros.h>\nint main(void){printf(\"%llu\", (unsigned long long)makedev(" + major + "u," + minor + "u));return 0;}\n");
            Tool.Check(gcc, "-o", Path.Combine(dir, "d"), source);
            Assert.Equal(ulong.Parse(Tool.Check(Path.Combine(dir, "d"))), FileSystem.MakeDevice(major, minor));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
