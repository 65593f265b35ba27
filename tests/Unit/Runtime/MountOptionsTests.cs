using ContainerPS.Runtime.Init;
using static ContainerPS.Runtime.Linux.MountFlags;

namespace ContainerPS.Tests.Unit.Runtime;

public sealed class MountOptionsTests
{
    public static TheoryData<string, ulong, ulong[], string> Cases => new()
    {
        { "", 0, [], "" },
        { "nosuid,noexec,nodev", MS_NOSUID | MS_NOEXEC | MS_NODEV, [], "" },
        { "nosuid,strictatime,mode=755,size=65536k", MS_NOSUID | MS_STRICTATIME, [], "mode=755,size=65536k" },
        { "nosuid,noexec,newinstance,ptmxmode=0666,mode=0620,gid=5", MS_NOSUID | MS_NOEXEC, [], "newinstance,ptmxmode=0666,mode=0620,gid=5" },
        { "ro,nosuid,noexec,nodev", MS_RDONLY | MS_NOSUID | MS_NOEXEC | MS_NODEV, [], "" },
        { "rbind,rprivate", MS_BIND | MS_REC, [MS_PRIVATE | MS_REC], "" },
        { "bind,ro", MS_BIND | MS_RDONLY, [], "" },
        { "rbind,ro,rslave,shared", MS_BIND | MS_REC | MS_RDONLY, [MS_SLAVE | MS_REC, MS_SHARED], "" },
        { "ro,rw", 0, [], "" },
        { "nosuid,suid,nodev,dev,noexec,exec", 0, [], "" },
        { "noatime,atime,relatime,norelatime", 0, [], "" },
        { "sync,async,dirsync,mand,nomand", MS_DIRSYNC, [], "" },
        { "defaults,nosymfollow,lazytime,iversion", MS_NOSYMFOLLOW | MS_LAZYTIME | MS_I_VERSION, [], "" },
        { "remount,ro", MS_REMOUNT | MS_RDONLY, [], "" },
        { "private,unbindable,runbindable,slave", 0, [MS_PRIVATE, MS_UNBINDABLE, MS_UNBINDABLE | MS_REC, MS_SLAVE], "" },
        { "lowerdir=/a:/b,upperdir=/u,workdir=/w", 0, [], "lowerdir=/a:/b,upperdir=/u,workdir=/w" },
        { "mode=1777,size=67108864,nosuid", MS_NOSUID, [], "mode=1777,size=67108864" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Parses_like_runc(string options, ulong flags, ulong[] propagation, string data)
    {
        var parsed = MountOptions.Parse(options.Length == 0 ? [] : options.Split(','));
        Assert.Equal(Format(flags), Format(parsed.Flags));
        Assert.Equal(propagation.Select(Format), parsed.Propagation.Select(Format));
        Assert.Equal(data, parsed.Data);
    }

    [Theory]
    [InlineData("rro")]
    [InlineData("rnosuid")]
    [InlineData("idmap")]
    public void Refuses_options_it_cannot_honour(string option)
    {
        var e = Assert.Throws<ContainerInitException>(() => MountOptions.Parse(["nosuid", option]));
        Assert.Contains($"\"{option}\"", e.Message);
    }

    [Fact]
    public void Tmpcopyup_is_an_extension_not_data()
    {
        var parsed = MountOptions.Parse(["tmpcopyup", "mode=755"]);
        Assert.True(parsed.CopyUp);
        Assert.Equal("mode=755", parsed.Data);
    }

    [Fact]
    public void Flags_format_with_c_names()
    {
        Assert.Equal("MS_RDONLY|MS_BIND|MS_REC", Format(MS_BIND | MS_REC | MS_RDONLY));
        Assert.Equal("0", Format(0));
        Assert.Equal("MS_NOSUID|0x400000000", Format(MS_NOSUID | (1UL << 34)));
    }
}
