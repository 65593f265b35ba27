using System.Globalization;
using ContainerPS.Engine.Containers;

namespace ContainerPS.Tests.Unit.Containers;

/// <summary>
/// What a process inside a container sees: its own PID namespace, host name, /proc and /dev,
/// Docker's capability set, masked and read-only kernel paths, the user, working directory and
/// environment it was given. Real busybox containers through the engine and the AOT shim.
/// </summary>
[Collection("Containers")]
public sealed class ContainerIsolationTests : IDisposable
{
    private readonly ContainerHarness _h = new();

    public void Dispose() => _h.Dispose();

    [Fact]
    public async Task The_command_is_pid_1()
    {
        var r = await _h.RunToEnd("sh", "-c", "echo $$; cat /proc/self/stat | cut -d' ' -f4");
        Assert.Equal(0, r.ExitCode);
        Assert.Equal("1", r.Lines[0]);
        Assert.Equal("1", r.Lines[1]); // cat's parent is the shell, PID 1
    }

    [Fact]
    public async Task The_host_name_is_the_short_id_by_default()
    {
        var r = await _h.RunToEnd("sh", "-c", "hostname; cat /etc/hostname; cat /proc/sys/kernel/hostname");
        Assert.Equal(0, r.ExitCode);
        var shortId = r.Id[..12];
        Assert.Equal(new[] { shortId, shortId, shortId }, r.Lines);
        Assert.NotEqual(Environment.MachineName, r.Lines[0]);
    }

    [Fact]
    public async Task The_host_name_option_is_used_and_resolves_in_etc_hosts()
    {
        var r = await _h.RunToEnd(new ContainerCreateOptions { Hostname = "web1", Command = new[] { "sh", "-c", "hostname; grep -w web1 /etc/hosts | cut -f1" } });
        Assert.Equal(0, r.ExitCode);
        Assert.Equal(new[] { "web1", "127.0.1.1" }, r.Lines);
    }

    [Fact]
    public async Task Host_processes_are_not_visible()
    {
        var me = Environment.ProcessId;
        // The shell stays (two commands), so exactly two processes exist: sh (1) and ps.
        var r = await _h.RunToEnd("sh", "-c", $"ps -o pid,comm; echo proc-entries=$(ls /proc | grep -c '^[0-9]'); test -e /proc/{me} && echo sees-host-pid || echo no-host-pid");
        Assert.Equal(0, r.ExitCode);
        var rows = r.Lines.Skip(1).TakeWhile(l => !l.StartsWith("proc-entries=", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, rows.Count);
        var pids = rows.Select(l => int.Parse(l.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries)[0], CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(1, pids[0]);
        Assert.All(pids, p => Assert.True(p < 10, $"pid {p} inside a fresh PID namespace"));
        Assert.DoesNotContain(rows, l => l.Contains("dotnet", StringComparison.Ordinal) || l.Contains("testhost", StringComparison.Ordinal));
        // ls and grep run in a subshell: at most sh, the subshell, ls and grep.
        var entries = int.Parse(r.Lines.Single(l => l.StartsWith("proc-entries=", StringComparison.Ordinal))["proc-entries=".Length..], CultureInfo.InvariantCulture);
        Assert.InRange(entries, 2, 4);
        if (me > 10) Assert.Equal("no-host-pid", r.Lines[^1]);
    }

    [Fact]
    public async Task Proc_sys_is_read_only()
    {
        // kernel/domainname is per UTS namespace: writing it back would harm nothing even if allowed.
        var r = await _h.RunToEnd("sh", "-c",
            "v=$(cat /proc/sys/kernel/domainname); echo \"$v\" > /proc/sys/kernel/domainname && echo wrote || echo refused; " +
            "touch /proc/sys/x 2>/dev/null && echo touched || echo not-touched; " +
            "grep ' /proc/sys ' /proc/mounts | cut -d' ' -f4 | cut -d, -f1");
        Assert.Equal(new[] { "refused", "not-touched", "ro" }, r.Lines);
        Assert.Contains("Read-only file system", r.Stderr);
    }

    [Fact]
    public async Task Proc_sysrq_trigger_and_other_readonly_paths_are_read_only()
    {
        var r = await _h.RunToEnd("sh", "-c", "for p in /proc/sysrq-trigger /proc/irq /proc/bus /proc/fs; do grep \" $p \" /proc/mounts | cut -d' ' -f4 | cut -d, -f1; done");
        Assert.Equal(0, r.ExitCode);
        Assert.NotEmpty(r.Lines);
        Assert.All(r.Lines, l => Assert.Equal("ro", l));
    }

    [Fact]
    public async Task Docker_default_capabilities_only_and_no_sys_admin()
    {
        var r = await _h.RunToEnd("sh", "-c", "grep -E '^Cap(Eff|Prm|Bnd|Inh|Amb):' /proc/self/status");
        Assert.Equal(0, r.ExitCode);
        var caps = r.Lines.Select(l => l.Split(':', 2)).ToDictionary(p => p[0], p => ulong.Parse(p[1].Trim(), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
        const int CapSysAdmin = 21;
        Assert.Equal(0UL, caps["CapEff"] & (1UL << CapSysAdmin));
        Assert.Equal(0UL, caps["CapBnd"] & (1UL << CapSysAdmin));
        // CHOWN DAC_OVERRIDE FOWNER FSETID KILL SETGID SETUID SETPCAP NET_BIND_SERVICE NET_RAW SYS_CHROOT MKNOD AUDIT_WRITE SETFCAP
        const ulong DockerDefault = 0xa80425fb;
        Assert.Equal(DockerDefault.ToString("x16", CultureInfo.InvariantCulture), caps["CapEff"].ToString("x16", CultureInfo.InvariantCulture));
        Assert.Equal(DockerDefault, caps["CapBnd"]);
        Assert.Equal(0UL, caps["CapInh"]);
        Assert.Equal(0UL, caps["CapAmb"]);
    }

    [Fact]
    public async Task Mounting_is_refused_without_sys_admin()
    {
        var r = await _h.RunToEnd("sh", "-c", "mount -t tmpfs x /tmp");
        Assert.NotEqual(0, r.ExitCode);
        Assert.Matches("(?i)permission denied|not permitted", r.Stderr);
    }

    [Fact]
    public async Task Masked_proc_files_are_dev_null_and_read_empty()
    {
        // /proc/kcore does not exist on every kernel: when it does it must be masked.
        var r = await _h.RunToEnd("sh", "-c",
            "for p in /proc/keys /proc/timer_list /proc/kcore; do if [ -e $p ]; then echo \"$p $(stat -c '%F %t:%T' $p) $(cat $p | wc -c)\"; else echo \"$p absent\"; fi; done");
        Assert.Equal(0, r.ExitCode);
        Assert.Equal("/proc/keys character special file 1:3 0", r.Lines[0]);
        Assert.Equal("/proc/timer_list character special file 1:3 0", r.Lines[1]);
        Assert.Contains(r.Lines[2], new[] { "/proc/kcore absent", "/proc/kcore character special file 1:3 0" });
    }

    [Fact]
    public async Task Sys_firmware_is_an_empty_read_only_tmpfs()
    {
        Assert.True(Directory.Exists("/sys/firmware") && Directory.EnumerateFileSystemEntries("/sys/firmware").Any(), "the host has /sys/firmware entries to hide");
        var r = await _h.RunToEnd("sh", "-c", "echo entries=$(ls -A /sys/firmware | wc -l); grep ' /sys/firmware ' /proc/mounts | cut -d' ' -f1,3");
        Assert.Equal(0, r.ExitCode);
        Assert.Equal("entries=0", r.Lines[0]);
        Assert.Equal("tmpfs tmpfs", r.Lines[1]);
    }

    [Fact]
    public async Task Dev_has_the_standard_devices_and_nothing_of_the_host()
    {
        var r = await _h.RunToEnd("sh", "-c",
            "for d in null zero full random urandom tty; do echo \"$d $(stat -c '%F %t:%T' /dev/$d)\"; done; " +
            "for d in pts shm mqueue; do test -d /dev/$d && echo \"$d dir\"; done; " +
            "head -c 5 /dev/zero | wc -c; head -c 16 /dev/urandom | wc -c; echo x > /dev/null && echo null-ok; " +
            "echo x > /dev/full 2>/dev/null || echo full-refused; " +
            "grep -E ' /dev/(pts|shm|mqueue) ' /proc/mounts | cut -d' ' -f2,3; " +
            "echo host-devices=$(ls /dev | grep -cE '^(sd|vd|nvme|kmsg|mem$|loop|tty[0-9])')");
        Assert.Equal(0, r.ExitCode);
        Assert.Equal(new[]
        {
            "null character special file 1:3",
            "zero character special file 1:5",
            "full character special file 1:7",
            "random character special file 1:8",
            "urandom character special file 1:9",
            "tty character special file 5:0",
            "pts dir", "shm dir", "mqueue dir",
            "5", "16", "null-ok", "full-refused",
            "/dev/pts devpts", "/dev/mqueue mqueue", "/dev/shm tmpfs",
            "host-devices=0",
        }, r.Lines);
    }

    [Fact]
    public async Task Root_by_default()
    {
        var r = await _h.RunToEnd("sh", "-c", "id -u; id -g; id -un; echo $HOME");
        Assert.Equal(new[] { "0", "0", "root", "/root" }, r.Lines);
    }

    [Theory]
    [InlineData("1000")]
    [InlineData("app")]
    public async Task The_user_option_sets_uid_and_gid(string user)
    {
        var r = await _h.RunToEnd(new ContainerCreateOptions { User = user, Command = new[] { "sh", "-c", "id -u; id -g; id -un; grep -E '^Cap(Eff|Prm):' /proc/self/status | cut -f2" } });
        Assert.Equal(0, r.ExitCode);
        Assert.Equal(new[] { "1000", "1000", "app", "0000000000000000", "0000000000000000" }, r.Lines);
    }

    [Fact]
    public async Task A_uid_missing_from_passwd_still_runs_with_that_uid()
    {
        var r = await _h.RunToEnd(new ContainerCreateOptions { User = "4321:4322", Command = new[] { "sh", "-c", "id -u; id -g" } });
        Assert.Equal(new[] { "4321", "4322" }, r.Lines);
    }

    [Fact]
    public async Task The_working_directory_is_honoured_and_created_when_missing()
    {
        var r = await _h.RunToEnd(new ContainerCreateOptions { WorkingDir = "/tmp", Command = new[] { "pwd" } });
        Assert.Equal("/tmp", r.Stdout);
        var created = await _h.RunToEnd(new ContainerCreateOptions { WorkingDir = "/srv/app/data", Command = new[] { "pwd" } });
        Assert.Equal(0, created.ExitCode);
        Assert.Equal("/srv/app/data", created.Stdout);
    }

    [Fact]
    public async Task The_image_workdir_applies_and_the_option_overrides_it()
    {
        _h.Import("busybox:workdir", "WORKDIR /etc", "CMD [\"pwd\"]");
        Assert.Equal("/etc", (await _h.RunToEnd(new ContainerCreateOptions { Image = "busybox:workdir" })).Stdout);
        Assert.Equal("/home", (await _h.RunToEnd(new ContainerCreateOptions { Image = "busybox:workdir", WorkingDir = "/home" })).Stdout);
    }

    [Fact]
    public async Task The_environment_merges_defaults_image_env_and_options()
    {
        _h.Import("busybox:env", "ENV A=from-image B=from-image", "CMD [\"env\"]");
        var r = await _h.RunToEnd(new ContainerCreateOptions
        {
            Image = "busybox:env",
            Environment = new Dictionary<string, string?> { ["B"] = "from-option", ["C"] = "x=y z" },
        });
        Assert.Equal(0, r.ExitCode);
        var env = r.Lines.Select(l => l.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
        Assert.Equal("/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", env["PATH"]);
        Assert.Equal(r.Id[..12], env["HOSTNAME"]);
        Assert.Equal("/root", env["HOME"]);
        Assert.Equal("from-image", env["A"]);
        Assert.Equal("from-option", env["B"]);
        Assert.Equal("x=y z", env["C"]);
        Assert.False(env.ContainsKey("TERM")); // only with a TTY
    }
}
