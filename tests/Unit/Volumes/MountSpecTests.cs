using ContainerPS.Engine.Errors;
using ContainerPS.Engine.Volumes;

namespace ContainerPS.Tests.Unit.Volumes;

/// <summary>docker's -v, --mount and --tmpfs syntaxes and their error messages.</summary>
public sealed class MountSpecTests
{
    [Theory]
    [InlineData("/data", "volume", null, "/data", false)]
    [InlineData("/data:ro", "volume", null, "/data", true)]
    [InlineData("vol:/data", "volume", "vol", "/data", false)]
    [InlineData("vol:/data:ro,nocopy", "volume", "vol", "/data", true)]
    [InlineData("/host/dir:/in/container:ro", "bind", "/host/dir", "/in/container", true)]
    [InlineData("/host/dir:/in/container/:rw,rslave,z", "bind", "/host/dir", "/in/container", false)]
    public void Volume_syntax(string spec, string type, string? source, string target, bool ro)
    {
        var m = MountSpec.ParseVolume(spec);
        Assert.Equal((type, source, target, ro), (m.Type, m.Source, m.Target, m.ReadOnly));
        Assert.True(m.CreateHostPath);
    }

    [Theory]
    [InlineData("a:b:c:d", "invalid volume specification: 'a:b:c:d'")]
    [InlineData("vol:data", "invalid mount config: invalid mount path: 'data' mount path must be absolute")]
    [InlineData("/x:/", "invalid specification: destination can't be '/'")]
    [InlineData("/x:/y:ro,rw", "invalid mode: ro,rw")]
    [InlineData("vol:/y:rshared", "invalid mode: rshared")]
    [InlineData("-bad:/y", "\"-bad\" includes invalid characters for a local volume name, only \"[a-zA-Z0-9][a-zA-Z0-9_.-]\" are allowed. If you intended to pass a host directory, use absolute path")]
    public void Volume_syntax_errors_are_dockers(string spec, string message)
    {
        var e = Assert.ThrowsAny<InvalidArgumentException>(() => MountSpec.ParseVolume(spec));
        Assert.Equal(message, e.Message);
    }

    [Fact]
    public void Mount_syntax()
    {
        var bind = MountSpec.ParseMount("type=bind,source=/srv,target=/www,readonly,bind-propagation=rslave");
        Assert.Equal(("bind", "/srv", "/www", true, "rslave", false), (bind.Type, bind.Source, bind.Target, bind.ReadOnly, bind.Propagation, bind.CreateHostPath));
        var vol = MountSpec.ParseMount("src=data,dst=/data,volume-nocopy");
        Assert.Equal(("volume", "data", "/data", true), (vol.Type, vol.Source, vol.Target, vol.NoCopy));
        var tmp = MountSpec.ParseMount("type=tmpfs,target=/cache,tmpfs-size=1m,tmpfs-mode=1770");
        Assert.Equal(new[] { "size=1m", "mode=1770" }, tmp.TmpfsOptions);
    }

    [Theory]
    [InlineData("type=bind,target=/x", "invalid mount config for type \"bind\": field Source must not be empty")]
    [InlineData("type=tmpfs,source=x,target=/x", "invalid mount config for type \"tmpfs\": field Source must not be specified")]
    [InlineData("type=volume,source=v", "invalid mount config: target is required in 'type=volume,source=v'")]
    [InlineData("type=bind,source=/a,target=/x,color=red", "unexpected key 'color' in 'color=red'")]
    public void Mount_syntax_errors(string spec, string message)
    {
        Assert.Equal(message, Assert.ThrowsAny<InvalidArgumentException>(() => MountSpec.ParseMount(spec)).Message);
    }

    [Fact]
    public void Tmpfs_syntax_defaults_to_noexec_nosuid_nodev()
    {
        var t = MountSpec.ParseTmpfs("/run:size=64m,mode=1777");
        Assert.Equal(("tmpfs", "/run"), (t.Type, t.Target));
        Assert.Equal(new[] { "noexec", "nosuid", "nodev", "size=64m", "mode=1777" }, t.TmpfsOptions);
    }
}
