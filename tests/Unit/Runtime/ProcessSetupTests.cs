using ContainerPS.Runtime.Init;
using ContainerPS.Runtime.Linux;
using ContainerPS.Runtime.Linux.Recording;

namespace ContainerPS.Tests.Unit.Runtime;

public sealed class ProcessSetupTests
{
    /// <summary>Docker's default capability set (moby oci/caps/defaults.go).</summary>
    private static readonly string[] DockerCaps =
    [
        "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID", "CAP_FOWNER", "CAP_MKNOD", "CAP_NET_RAW", "CAP_SETGID",
        "CAP_SETUID", "CAP_SETFCAP", "CAP_SETPCAP", "CAP_NET_BIND_SERVICE", "CAP_SYS_CHROOT", "CAP_KILL",
        "CAP_AUDIT_WRITE",
    ];

    private static RecordingSyscalls NewSys() => new RecordingSyscalls()
        .AddDirectory("/app").AddFile("/bin/sh", 0x1ED).AddFile("/usr/bin/env", 0x1ED);

    private static ProcessRequest Request(CapabilityRequest? caps = null) => new()
    {
        Args = ["sh", "-c", "echo hi"],
        Env = ["PATH=/usr/local/bin:/bin", "HOME=/"],
        Cwd = "/app",
        Uid = 1000,
        Gid = 1000,
        AdditionalGids = [10, 20],
        Capabilities = caps,
        Rlimits = [new RlimitRequest("RLIMIT_NOFILE", 1024, 2048)],
        NoNewPrivileges = true,
        OomScoreAdj = 100,
    };

    private static CapabilityRequest Docker => new()
    {
        Bounding = DockerCaps, Effective = DockerCaps, Permitted = DockerCaps,
    };

    [Fact]
    public void User_switch_and_capabilities_follow_runcs_finalizeNamespace_order()
    {
        var sys = NewSys();
        new ProcessSetup(sys, Request(Docker)).Run();
        var dropped = Enumerable.Range(0, 41).Where(c => !DockerCaps.Contains(Capability.Name(c)))
            .Select(c => $"prctl PR_CAPBSET_DROP {Capability.Name(c)}");
        Assert.Equal(
        [
            "setrlimit RLIMIT_NOFILE 1024 2048",
            "write /proc/self/oom_score_adj 100",
            "umask 22",
            "prctl PR_SET_NO_NEW_PRIVS 1",
            "chdir /app",
            .. dropped, // while still root: PR_CAPBSET_DROP needs CAP_SETPCAP
            "prctl PR_SET_KEEPCAPS 1",
            "setgroups [10 20]",
            "setresgid 1000 1000 1000",
            "setresuid 1000 1000 1000",
            "prctl PR_SET_KEEPCAPS 0",
            "capset effective=0xa80425fb permitted=0xa80425fb inheritable=0x0",
            "prctl PR_CAP_AMBIENT CLEAR_ALL",
            "execve /bin/sh [sh, -c, echo hi]",
        ], sys.Lines);
        var exec = Assert.IsType<ExecveCall>(sys.Calls[^1]);
        Assert.Equal(["PATH=/usr/local/bin:/bin", "HOME=/"], exec.Envp);
    }

    [Fact]
    public void Capability_plan_masks_names_and_skips_what_the_kernel_lacks()
    {
        var plan = CapabilityPlan.From(new CapabilityRequest
        {
            Bounding = ["CAP_SYS_ADMIN", "CAP_BPF", "CAP_NET_ADMIN", "CAP_BOGUS"],
            Effective = ["CAP_NET_ADMIN"],
            Permitted = ["CAP_NET_ADMIN", "CAP_SYS_ADMIN"],
            Inheritable = ["CAP_NET_ADMIN"],
            Ambient = ["net_admin"],
        }, lastCap: 37);
        Assert.Equal((1UL << 21) | (1UL << 12), plan.Bounding);
        Assert.Equal(1UL << 12, plan.Effective);
        Assert.Equal((1UL << 21) | (1UL << 12), plan.Permitted);
        Assert.Equal(1UL << 12, plan.Inheritable);
        Assert.Equal(1UL << 12, plan.Ambient);
        Assert.Equal(["CAP_BPF", "CAP_BOGUS"], plan.Ignored);
        Assert.Equal(36, plan.BoundingDrops().Count()); // 38 known caps (0..37) minus the two kept
        Assert.DoesNotContain(38, plan.BoundingDrops());
        Assert.Equal([12], plan.AmbientRaises());
    }

    [Fact]
    public void Ambient_capabilities_are_raised_after_capset_and_cap_last_cap_limits_the_drops()
    {
        var sys = NewSys();
        sys.FileContents["/proc/sys/kernel/cap_last_cap"] = "38\n";
        var caps = new CapabilityRequest
        {
            Bounding = ["CAP_NET_BIND_SERVICE"], Effective = ["CAP_NET_BIND_SERVICE"], Permitted = ["CAP_NET_BIND_SERVICE"],
            Inheritable = ["CAP_NET_BIND_SERVICE"], Ambient = ["CAP_NET_BIND_SERVICE"],
        };
        new ProcessSetup(sys, Request(caps) with { Rlimits = [], OomScoreAdj = null, NoNewPrivileges = false }).Run();
        var lines = sys.Lines;
        Assert.Contains("prctl PR_CAPBSET_DROP CAP_PERFMON", lines);
        Assert.DoesNotContain("prctl PR_CAPBSET_DROP CAP_BPF", lines);
        Assert.DoesNotContain("prctl PR_CAPBSET_DROP CAP_NET_BIND_SERVICE", lines);
        Assert.Equal(
        [
            "capset effective=0x400 permitted=0x400 inheritable=0x400",
            "prctl PR_CAP_AMBIENT CLEAR_ALL",
            "prctl PR_CAP_AMBIENT RAISE CAP_NET_BIND_SERVICE",
            "execve /bin/sh [sh, -c, echo hi]",
        ], lines.SkipWhile(l => !l.StartsWith("capset", StringComparison.Ordinal)));
    }

    [Fact]
    public void Without_a_capabilities_section_the_sets_are_left_alone()
    {
        var sys = NewSys();
        new ProcessSetup(sys, Request() with { Uid = 0, Gid = 0, AdditionalGids = [] }).Run();
        Assert.DoesNotContain(sys.Calls, c => c is CapsetCall || c is PrctlCall { Option: PrctlOptions.PR_CAPBSET_DROP or PrctlOptions.PR_CAP_AMBIENT });
        Assert.Contains("setgroups []", sys.Lines);
    }

    [Fact]
    public void A_missing_cwd_fails_like_runc()
    {
        var sys = NewSys();
        var e = Assert.Throws<ContainerInitException>(() => new ProcessSetup(sys, Request() with { Cwd = "/x" }).Run());
        Assert.Equal("chdir to cwd (\"/x\") set in config.json failed: no such file or directory", e.Message);
        Assert.Equal(Errno.ENOENT, e.Errno);
        Assert.DoesNotContain(sys.Calls, c => c is SetresuidCall or ExecveCall);
    }

    [Fact]
    public void A_cwd_only_the_container_user_may_enter_is_retried_after_the_user_switch()
    {
        var sys = NewSys().Fail(c => c is ChdirCall, Errno.EACCES, once: true);
        new ProcessSetup(sys, Request()).Run();
        var lines = sys.Lines.ToList();
        Assert.Equal(2, lines.Count(l => l == "chdir /app"));
        Assert.True(lines.LastIndexOf("chdir /app") > lines.IndexOf("setresuid 1000 1000 1000"));
    }

    [Fact]
    public void The_parent_death_signal_is_rearmed_after_the_user_switch()
    {
        var sys = NewSys();
        new ProcessSetup(sys, Request() with { ParentDeathSignal = 9 }).Run();
        var lines = sys.Lines.ToList();
        Assert.True(lines.IndexOf("prctl PR_SET_PDEATHSIG 9") > lines.IndexOf("setresuid 1000 1000 1000"));
    }

    [Fact]
    public void Unknown_rlimits_and_empty_args_are_refused()
    {
        Assert.Contains("RLIMIT_BOGUS", Assert.Throws<ContainerInitException>(() =>
            new ProcessSetup(NewSys(), Request() with { Rlimits = [new("RLIMIT_BOGUS", 1, 1)] }).Run()).Message);
        Assert.Throws<ContainerInitException>(() => new ProcessSetup(NewSys(), Request() with { Args = [] }));
    }

    [Theory]
    [InlineData("sh", "PATH=/usr/local/bin:/bin", "/bin/sh")]
    [InlineData("env", "PATH=/bin:/usr/bin", "/usr/bin/env")]
    [InlineData("sh", "PATH=/usr/bin/:/bin/", "/bin/sh")]
    [InlineData("/bin/sh", "PATH=", "/bin/sh")]
    [InlineData("env", "PATH=/bin|PATH=/usr/bin", "/usr/bin/env")] // the last PATH wins, as after runc's os.Setenv loop
    public void Args0_is_found_through_the_process_PATH(string file, string env, string expected)
    {
        Assert.Equal(expected, PathLookup.Find(NewSys(), file, env.Split('|')));
    }

    [Theory]
    [InlineData("foo", "PATH=/usr/local/bin:/bin", "exec: \"foo\": executable file not found in $PATH")]
    [InlineData("sh", "HOME=/", "exec: \"sh\": executable file not found in $PATH")]
    [InlineData("notexec", "PATH=/bin", "exec: \"notexec\": executable file not found in $PATH")]
    [InlineData("app", "PATH=/bin", "exec: \"app\": executable file not found in $PATH")] // /bin/app is a directory
    [InlineData("/bin/nothere", "PATH=/bin", "exec: \"/bin/nothere\": stat /bin/nothere: no such file or directory")]
    [InlineData("/bin/notexec", "PATH=/bin", "exec: \"/bin/notexec\": stat /bin/notexec: permission denied")]
    [InlineData("tool", "PATH=:/bin", "exec: \"tool\": cannot run executable found relative to current directory")]
    public void Lookup_failures_read_like_gos(string file, string env, string message)
    {
        var sys = NewSys().AddFile("/bin/notexec", 0x1A4).AddDirectory("/bin/app").AddFile("/app/tool", 0x1ED);
        sys.Chdir("/app");
        var e = Assert.Throws<ContainerInitException>(() => PathLookup.Find(sys, file, env.Split('|')));
        Assert.Equal(message, e.Message);
    }
}
