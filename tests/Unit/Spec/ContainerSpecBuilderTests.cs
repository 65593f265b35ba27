using System.Text.Json;
using ContainerPS.Engine.Containers.Spec;
using ContainerPS.Engine.Errors;
using ContainerPS.Engine.Images;
using ContainerPS.Runtime.Spec;

namespace ContainerPS.Tests.Unit.Spec;

public sealed class ContainerSpecBuilderTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("cps-builder-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static ContainerConfig Nginx() => new()
    {
        Env = new() { "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "NGINX_VERSION=1.25.3" },
        Entrypoint = new() { "/docker-entrypoint.sh" },
        Cmd = new() { "nginx", "-g", "daemon off;" },
        WorkingDir = "/usr/share/nginx/html",
        User = "app",
        StopSignal = "SIGQUIT",
    };

    [Fact]
    public void Golden_spec_for_an_image_with_user_workdir_entrypoint_and_cmd()
    {
        var spec = SpecTestBuilder.Builder().Build(SpecTestBuilder.Input(SpecTestBuilder.Options(), Nginx()));
        var json = SpecJson.Serialize(spec);
        const string expected = """
            {
              "ociVersion": "1.0.2-dev",
              "process": {
                "user": { "uid": 1000, "gid": 1000, "additionalGids": [1000, 4, 50] },
                "args": ["/docker-entrypoint.sh", "nginx", "-g", "daemon off;"],
                "env": [
                  "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
                  "HOSTNAME=0123456789ab",
                  "NGINX_VERSION=1.25.3",
                  "HOME=/home/app"
                ],
                "cwd": "/usr/share/nginx/html",
                "capabilities": {
                  "bounding": ["CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID", "CAP_FOWNER", "CAP_MKNOD", "CAP_NET_RAW", "CAP_SETGID",
                               "CAP_SETUID", "CAP_SETFCAP", "CAP_SETPCAP", "CAP_NET_BIND_SERVICE", "CAP_SYS_CHROOT", "CAP_KILL", "CAP_AUDIT_WRITE"]
                },
                "rlimits": [
                  { "type": "RLIMIT_NOFILE", "hard": 20000, "soft": 20000 },
                  { "type": "RLIMIT_NPROC", "hard": 96365, "soft": 96365 }
                ],
                "noNewPrivileges": true,
                "oomScoreAdj": 0
              },
              "root": { "path": "rootfs" },
              "hostname": "0123456789ab",
              "mounts": [
                { "destination": "/proc", "type": "proc", "source": "proc", "options": ["nosuid", "noexec", "nodev"] },
                { "destination": "/dev", "type": "tmpfs", "source": "tmpfs", "options": ["nosuid", "strictatime", "mode=755", "size=65536k"] },
                { "destination": "/dev/pts", "type": "devpts", "source": "devpts", "options": ["nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5"] },
                { "destination": "/sys", "type": "sysfs", "source": "sysfs", "options": ["nosuid", "noexec", "nodev", "ro"] },
                { "destination": "/sys/fs/cgroup", "type": "cgroup", "source": "cgroup", "options": ["ro", "nosuid", "noexec", "nodev"] },
                { "destination": "/dev/mqueue", "type": "mqueue", "source": "mqueue", "options": ["nosuid", "noexec", "nodev"] },
                { "destination": "/dev/shm", "type": "tmpfs", "source": "shm", "options": ["nosuid", "noexec", "nodev", "mode=1777", "size=65536k"] },
                { "destination": "/etc/resolv.conf", "type": "bind", "source": "/var/lib/containerps/containers/0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef/resolv.conf", "options": ["rbind", "rprivate"] },
                { "destination": "/etc/hostname", "type": "bind", "source": "/var/lib/containerps/containers/0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef/hostname", "options": ["rbind", "rprivate"] },
                { "destination": "/etc/hosts", "type": "bind", "source": "/var/lib/containerps/containers/0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef/hosts", "options": ["rbind", "rprivate"] }
              ],
              "annotations": { "io.containerps.image": "sha256:1111111111111111111111111111111111111111111111111111111111111111" },
              "linux": {
                "resources": {
                  "devices": [
                    { "allow": false, "access": "rwm" },
                    { "allow": true, "type": "c", "major": 1, "minor": 5, "access": "rwm" },
                    { "allow": true, "type": "c", "major": 1, "minor": 3, "access": "rwm" },
                    { "allow": true, "type": "c", "major": 1, "minor": 9, "access": "rwm" },
                    { "allow": true, "type": "c", "major": 1, "minor": 8, "access": "rwm" },
                    { "allow": true, "type": "c", "major": 5, "minor": 0, "access": "rwm" },
                    { "allow": true, "type": "c", "major": 5, "minor": 1, "access": "rwm" },
                    { "allow": false, "type": "c", "major": 10, "minor": 229, "access": "rwm" }
                  ]
                },
                "cgroupsPath": "/containerps/0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
                "namespaces": [
                  { "type": "pid" }, { "type": "network" }, { "type": "ipc" }, { "type": "uts" }, { "type": "mount" }, { "type": "cgroup" }
                ],
                "maskedPaths": [
                  "/proc/asound", "/proc/acpi", "/proc/kcore", "/proc/keys", "/proc/latency_stats", "/proc/timer_list",
                  "/proc/timer_stats", "/proc/sched_debug", "/proc/scsi", "/sys/firmware", "/sys/devices/virtual/powercap"
                ],
                "readonlyPaths": ["/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"]
              }
            }
            """;
        Assert.True(JsonElement.DeepEquals(JsonDocument.Parse(expected).RootElement, JsonDocument.Parse(json).RootElement), json);
    }

    [Fact]
    public void Options_override_the_image()
    {
        var options = SpecTestBuilder.Options("nginx", "-T");
        options.User = "root";
        options.WorkingDir = "/tmp/../srv/./";
        options.Hostname = "web";
        options.Tty = true;
        options.ReadOnlyRootfs = true;
        options.Environment["NGINX_VERSION"] = "override";
        options.CapAdd = new[] { "NET_ADMIN" };
        var spec = SpecTestBuilder.Builder(noNewPrivileges: false).Build(SpecTestBuilder.Input(options, Nginx()));
        var p = spec.Process!;
        Assert.Equal(new[] { "/docker-entrypoint.sh", "nginx", "-T" }, p.Args);
        Assert.Equal((0u, 0u), (p.User.Uid, p.User.Gid));
        Assert.Equal("/srv", p.Cwd);
        Assert.True(p.Terminal);
        Assert.False(p.NoNewPrivileges);
        Assert.Equal("web", spec.Hostname);
        Assert.Contains("HOSTNAME=web", p.Env!);
        Assert.Contains("TERM=xterm", p.Env!);
        Assert.Contains("NGINX_VERSION=override", p.Env!);
        Assert.Contains("HOME=/root", p.Env!);
        Assert.Contains("CAP_NET_ADMIN", p.Capabilities!.Effective!);
        Assert.True(spec.Root!.Readonly);
        Assert.All(spec.Mounts!.Where(m => m.Type == "bind"), m => Assert.Equal(new[] { "rbind", "ro", "rprivate" }, m.Options));
        Assert.DoesNotContain("\"noNewPrivileges\"", SpecJson.Serialize(spec));
    }

    [Fact]
    public void Missing_network_files_are_not_mounted_and_image_without_config_needs_a_command()
    {
        var input = new ContainerSpecInput
        {
            ContainerId = SpecTestBuilder.ContainerId, ImageId = SpecTestBuilder.ImageId, ImageConfig = null,
            Options = SpecTestBuilder.Options("/bin/true"), Rootfs = new DictionaryRootfs(),
        };
        var spec = SpecTestBuilder.Builder().Build(input);
        Assert.DoesNotContain(spec.Mounts!, m => m.Type == "bind");
        Assert.Equal("/", spec.Process!.Cwd);
        Assert.Equal(new[] { "PATH=" + SpecDefaults.PathEnv, "HOSTNAME=0123456789ab", "HOME=/" }, spec.Process.Env);

        var none = new ContainerSpecInput { ContainerId = input.ContainerId, ImageId = input.ImageId, Options = SpecTestBuilder.Options(), Rootfs = input.Rootfs };
        Assert.Equal("no command specified", Assert.Throws<InvalidArgumentException>(() => SpecTestBuilder.Builder().Build(none)).Message);
    }

    [Fact]
    public void Image_with_relative_workdir_is_refused_and_unknown_user_fails_the_build()
    {
        var image = Nginx();
        image.WorkingDir = "html";
        Assert.Equal("InvalidWorkingDirectory", Assert.Throws<InvalidArgumentException>(() =>
            SpecTestBuilder.Builder().Build(SpecTestBuilder.Input(SpecTestBuilder.Options(), image))).ErrorId);
        image = Nginx();
        image.User = "nginx";
        Assert.Equal("unable to find user nginx: no matching entries in passwd file", Assert.Throws<InvalidArgumentException>(() =>
            SpecTestBuilder.Builder().Build(SpecTestBuilder.Input(SpecTestBuilder.Options(), image))).Message);
    }

    [Fact]
    public void Round_trip_builder_Save_Load_is_equal()
    {
        var options = SpecTestBuilder.Options();
        options.Tty = true;
        options.Memory = 64 * 1024 * 1024;
        options.Cpus = 0.5;
        options.CpuShares = 512;
        options.PidsLimit = 100;
        options.Environment["UNICODE"] = "héllo <&> \"quoted\"";
        var spec = SpecTestBuilder.Builder().Build(SpecTestBuilder.Input(options, Nginx()));
        var path = Path.Combine(_dir, "bundle", SpecJson.FileName);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);

        SpecJson.Save(spec, path);
        var loaded = SpecJson.Load(path);

        Assert.Equal(SpecJson.Serialize(spec), SpecJson.Serialize(loaded));
        Assert.Equal(spec.Process!.Args, loaded.Process!.Args);
        Assert.Equal(spec.Process.Env, loaded.Process.Env);
        Assert.Equal(64L * 1024 * 1024, loaded.Linux!.Resources!.Memory!.Limit);
        Assert.Equal(50_000L, loaded.Linux.Resources.Cpu!.Quota);
        Assert.Equal(512UL, loaded.Linux.Resources.Cpu.Shares);
        Assert.Equal(100L, loaded.Linux.Resources.Pids!.Limit);
        Assert.Null(loaded.Extra);
        Assert.Null(loaded.Process.Extra);
        Assert.Null(loaded.Linux.Extra);
    }
}
