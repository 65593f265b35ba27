using ContainerPS.Engine.Interop;
using ContainerPS.Tests.Unit.Support;

namespace ContainerPS.Tests.Unit.Commit;

/// <summary>The constants export and the tree walk added to NativeMethods, checked against this machine's C headers.</summary>
public sealed class ExportNativeConstantsTests
{
    [Fact]
    public void Mount_open_and_clone_constants_match_the_c_headers()
    {
        var gcc = Tool.Require("gcc");
        var dir = Directory.CreateTempSubdirectory("cps-hdr-export-").FullName;
        try
        {
            var source = Path.Combine(dir, "c.c");
            File.WriteAllText(source, """
                #define _GNU_SOURCE
                #include <fcntl.h>
                #include <sched.h>
                #include <stdio.h>
                #include <sys/mount.h>
                int main(void) {
                  printf("O_NONBLOCK=%d\nO_NOFOLLOW=%d\n", O_NONBLOCK, O_NOFOLLOW);
                  printf("MS_RDONLY=%lu\nMS_NOSUID=%lu\nMS_NODEV=%lu\nMS_REC=%lu\nMS_PRIVATE=%lu\n",
                         (unsigned long)MS_RDONLY, (unsigned long)MS_NOSUID, (unsigned long)MS_NODEV, (unsigned long)MS_REC, (unsigned long)MS_PRIVATE);
                  printf("MNT_DETACH=%d\nCLONE_NEWNS=%d\n", MNT_DETACH, CLONE_NEWNS);
                  return 0;
                }
                """);
            Tool.Check(gcc, "-o", Path.Combine(dir, "c"), source);
            var values = Tool.Check(Path.Combine(dir, "c")).Split('\n', StringSplitOptions.RemoveEmptyEntries)
                .Select(l => l.Split('=')).ToDictionary(p => p[0], p => long.Parse(p[1]));

            Assert.Equal(NativeMethods.O_NONBLOCK, values["O_NONBLOCK"]);
            Assert.Equal(NativeMethods.O_NOFOLLOW, values["O_NOFOLLOW"]);
            Assert.Equal((long)NativeMethods.MS_RDONLY, values["MS_RDONLY"]);
            Assert.Equal((long)NativeMethods.MS_NOSUID, values["MS_NOSUID"]);
            Assert.Equal((long)NativeMethods.MS_NODEV, values["MS_NODEV"]);
            Assert.Equal((long)NativeMethods.MS_REC, values["MS_REC"]);
            Assert.Equal((long)NativeMethods.MS_PRIVATE, values["MS_PRIVATE"]);
            Assert.Equal(NativeMethods.MNT_DETACH, values["MNT_DETACH"]);
            Assert.Equal(NativeMethods.CLONE_NEWNS, values["CLONE_NEWNS"]);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
