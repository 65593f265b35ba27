using ContainerPS.Runtime.Init;
using ContainerPS.Runtime.Spec;
using static ContainerPS.Tests.Unit.Runtime.RecordingFixtures;

namespace ContainerPS.Tests.Unit.Runtime;

public sealed class SpecAdapterTests
{
    private const string Config = """
        {
          "ociVersion": "1.0.2",
          "process": {
            "user": { "uid": 1000, "gid": 1000, "umask": 63, "additionalGids": [10] },
            "args": [ "sh", "-c", "true" ],
            "env": [ "PATH=/usr/sbin:/usr/bin:/sbin:/bin", "TERM=xterm" ],
            "cwd": "/work",
            "capabilities": {
              "bounding": [ "CAP_CHOWN", "CAP_KILL" ],
              "effective": [ "CAP_CHOWN" ],
              "permitted": [ "CAP_CHOWN", "CAP_KILL" ]
            },
            "rlimits": [ { "type": "RLIMIT_NOFILE", "hard": 4096, "soft": 1024 } ],
            "noNewPrivileges": true,
            "oomScoreAdj": 500
          },
          "root": { "path": "rootfs", "readonly": true },
          "hostname": "box",
          "mounts": [
            { "destination": "/proc", "type": "proc", "source": "proc" },
            { "destination": "/dev", "type": "tmpfs", "source": "tmpfs", "options": [ "nosuid", "strictatime", "mode=755", "size=65536k" ] }
          ],
          "linux": {
            "devices": [ { "path": "/dev/fuse", "type": "c", "major": 10, "minor": 229, "fileMode": 438 } ],
            "rootfsPropagation": "rprivate",
            "maskedPaths": [ "/proc/kcore" ],
            "readonlyPaths": [ "/proc/sys" ],
            "sysctl": { "net.ipv4.ip_forward": "1" }
          }
        }
        """;

    [Fact]
    public void A_config_json_becomes_an_init_request()
    {
        var request = SpecAdapter.FromSpec(SpecJson.Deserialize(Config), "/rootfs", parentDeathSignal: 9);
        var r = request.Rootfs;
        Assert.Equal("/rootfs", r.RootfsPath);
        Assert.Equal(["/proc", "/dev"], r.Mounts.Select(m => m.Destination));
        Assert.Equal(["nosuid", "strictatime", "mode=755", "size=65536k"], r.Mounts[1].Options);
        Assert.Empty(r.Mounts[0].Options);
        Assert.Equal(new DeviceRequest("/dev/fuse", 'c', 10, 229, 0x1B6), Assert.Single(r.Devices));
        Assert.Equal(("rprivate", true, "box"), (r.RootfsPropagation, r.ReadonlyRoot, r.Hostname));
        Assert.Equal(["/proc/kcore"], r.MaskedPaths);
        Assert.Equal(["/proc/sys"], r.ReadonlyPaths);
        Assert.Equal("1", r.Sysctl["net.ipv4.ip_forward"]);

        var p = request.Process;
        Assert.Equal(["sh", "-c", "true"], p.Args);
        Assert.Equal(("/work", 1000u, 1000u, 63u), (p.Cwd, p.Uid, p.Gid, p.Umask!.Value));
        Assert.Equal([10u], p.AdditionalGids);
        Assert.Equal(["CAP_CHOWN", "CAP_KILL"], p.Capabilities!.Bounding);
        Assert.Empty(p.Capabilities.Ambient);
        Assert.Equal(new RlimitRequest("RLIMIT_NOFILE", 1024, 4096), Assert.Single(p.Rlimits));
        Assert.Equal((true, 500, 9), (p.NoNewPrivileges, p.OomScoreAdj!.Value, p.ParentDeathSignal));
    }

    [Fact]
    public void The_adapted_request_runs_through_the_init()
    {
        var sys = NewSys().AddFile(Root + "/bin/sh", 0x1ED).AddDirectory(Root + "/work").AddDirectory(Root + "/proc/sys");
        ContainerInit.Run(SpecAdapter.FromSpec(SpecJson.Deserialize(Config), Root), sys);
        var lines = sys.Lines;
        Assert.Equal("mount none / none MS_REC|MS_PRIVATE", lines[0]);
        Assert.Contains("mknod /rootfs/dev/fuse c 10:229 0666", lines);
        Assert.Contains("umask 77", lines);
        Assert.Contains("capset effective=0x1 permitted=0x21 inheritable=0x0", lines);
        Assert.Equal("execve /bin/sh [sh, -c, true]", lines[^1]);
    }
}
