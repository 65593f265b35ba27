using ContainerPS.Runtime.Cgroups;
using ContainerPS.Runtime.Monitor;
using ContainerPS.Runtime.Spec;
using ContainerPS.Tests.Unit.Support;

namespace ContainerPS.Tests.Unit.Cgroups;

/// <summary>
/// cgroup v2's device rules: the compiled eBPF program run by a small interpreter of the
/// instructions it uses (decisions for the default rules and the OCI ordering), its constants
/// against linux/bpf.h, and the real kernel — the program attached to a cgroup on this machine's
/// cgroup2 hierarchy refuses a process in it what the rules deny.
/// </summary>
public sealed class DeviceFilterProgramTests
{
    private const uint B = DeviceFilterProgram.DevBlock, C = DeviceFilterProgram.DevChar;

    private static readonly List<DeviceRule> Defaults = CgroupLimits.DeviceRules(SpecDefaults.DeviceCgroupRules());

    [Theory]
    [InlineData(C, 1, 3, "rw", 1)] // null
    [InlineData(C, 1, 5, "r", 1)] // zero
    [InlineData(C, 1, 9, "r", 1)] // urandom
    [InlineData(C, 1, 7, "w", 1)] // full (runc's list)
    [InlineData(C, 5, 0, "rw", 1)] // tty
    [InlineData(C, 5, 2, "rw", 1)] // ptmx
    [InlineData(C, 136, 7, "rw", 1)] // a pts
    [InlineData(C, 10, 200, "rw", 1)] // tun
    [InlineData(B, 254, 0, "r", 0)] // the host's disk
    [InlineData(B, 254, 0, "m", 1)] // ... which may be mknod'ed, not opened
    [InlineData(B, 254, 0, "rm", 0)]
    [InlineData(C, 1, 1, "r", 0)] // /dev/mem
    [InlineData(C, 1, 11, "r", 0)] // /dev/kmsg
    [InlineData(C, 10, 229, "rw", 0)] // fuse, denied by Docker
    [InlineData(C, 10, 229, "m", 1)]
    [InlineData(B, 7, 0, "r", 0)] // loop0
    public void The_default_rules_decide_like_runc(uint type, uint major, uint minor, string access, int verdict)
    {
        Assert.Equal(verdict, Run(DeviceFilterProgram.Compile(Defaults), type, DeviceFilterProgram.Access(access), major, minor));
    }

    [Fact]
    public void The_last_matching_rule_wins_and_a_partial_deny_refuses_any_request_it_touches()
    {
        var rules = new[] { "deny a *:* rwm", "allow c 1:3 rwm", "deny c 1:3 w", "allow b 8:* r" }.Select(DeviceRule.Parse).ToList();
        var program = DeviceFilterProgram.Compile(rules);
        Assert.Equal(1, Run(program, C, DeviceFilterProgram.Access("r"), 1, 3));
        Assert.Equal(0, Run(program, C, DeviceFilterProgram.Access("w"), 1, 3));
        Assert.Equal(0, Run(program, C, DeviceFilterProgram.Access("rw"), 1, 3));
        Assert.Equal(1, Run(program, B, DeviceFilterProgram.Access("r"), 8, 17));
        Assert.Equal(0, Run(program, B, DeviceFilterProgram.Access("rw"), 8, 17)); // the allow covers r only
        Assert.Equal(0, Run(program, C, DeviceFilterProgram.Access("r"), 8, 17));

        var allowAll = DeviceFilterProgram.Compile(new[] { "allow a *:* rwm", "deny c 1:1 rwm" }.Select(DeviceRule.Parse).ToList());
        Assert.Equal(1, Run(allowAll, B, DeviceFilterProgram.Access("rw"), 254, 0));
        Assert.Equal(0, Run(allowAll, C, DeviceFilterProgram.Access("r"), 1, 1));
        Assert.Equal(0, Run(DeviceFilterProgram.Compile(Array.Empty<DeviceRule>()), C, DeviceFilterProgram.Access("r"), 1, 3)); // no rules: deny
    }

    [Fact]
    public void Constants_and_bpf_attr_offsets_match_linux_bpf_h()
    {
        var gcc = Tool.Require("gcc");
        var dir = Directory.CreateTempSubdirectory("cps-bpf-").FullName;
        try
        {
            var source = Path.Combine(dir, "b.c");
            File.WriteAllText(source, """
                #include <stddef.h>
                #include <stdio.h>
                #include <sys/syscall.h>
                #include <linux/bpf.h>
                #define P(x) printf(#x "=%ld\n", (long)(x))
                #define O(m) printf(#m "=%ld\n", (long)offsetof(union bpf_attr, m))
                int main(void) {
                  P(SYS_bpf); P(BPF_PROG_LOAD); P(BPF_PROG_ATTACH); P(BPF_PROG_DETACH); P(BPF_PROG_GET_FD_BY_ID); P(BPF_PROG_QUERY);
                  P(BPF_PROG_TYPE_CGROUP_DEVICE); P(BPF_CGROUP_DEVICE); P(BPF_F_ALLOW_MULTI);
                  P(BPF_DEVCG_DEV_BLOCK); P(BPF_DEVCG_DEV_CHAR); P(BPF_DEVCG_ACC_MKNOD); P(BPF_DEVCG_ACC_READ); P(BPF_DEVCG_ACC_WRITE);
                  O(prog_type); O(insn_cnt); O(insns); O(license); O(log_level); O(log_size); O(log_buf); O(prog_name);
                  O(target_fd); O(attach_bpf_fd); O(attach_type); O(attach_flags);
                  O(query.target_fd); O(query.attach_type); O(query.prog_ids); O(query.prog_cnt); O(prog_id);
                  P(sizeof(struct bpf_cgroup_dev_ctx)); P(offsetof(struct bpf_cgroup_dev_ctx, major)); P(offsetof(struct bpf_cgroup_dev_ctx, minor));
                  printf("attr_covers_128=%d\n", sizeof(union bpf_attr) >= 128);
                  return 0;
                }
                """);
            Tool.Check(gcc, "-o", Path.Combine(dir, "b"), source);
            var v = Tool.Check(Path.Combine(dir, "b")).Split('\n', StringSplitOptions.RemoveEmptyEntries)
                .Select(l => l.Split('=')).ToDictionary(p => p[0], p => long.Parse(p[1]));

            Assert.Equal(v["SYS_bpf"], ContainerPS.Runtime.Linux.SyscallNumbers.SYS_bpf);
            Assert.Equal((v["BPF_PROG_LOAD"], v["BPF_PROG_ATTACH"], v["BPF_PROG_DETACH"], v["BPF_PROG_GET_FD_BY_ID"], v["BPF_PROG_QUERY"]),
                (BpfNative.BPF_PROG_LOAD, BpfNative.BPF_PROG_ATTACH, BpfNative.BPF_PROG_DETACH, BpfNative.BPF_PROG_GET_FD_BY_ID, BpfNative.BPF_PROG_QUERY));
            Assert.Equal((v["BPF_PROG_TYPE_CGROUP_DEVICE"], v["BPF_CGROUP_DEVICE"], v["BPF_F_ALLOW_MULTI"]),
                (BpfNative.BPF_PROG_TYPE_CGROUP_DEVICE, BpfNative.BPF_CGROUP_DEVICE, BpfNative.BPF_F_ALLOW_MULTI));
            Assert.Equal((v["BPF_DEVCG_DEV_BLOCK"], v["BPF_DEVCG_DEV_CHAR"]), (DeviceFilterProgram.DevBlock, DeviceFilterProgram.DevChar));
            Assert.Equal((v["BPF_DEVCG_ACC_MKNOD"], v["BPF_DEVCG_ACC_READ"], v["BPF_DEVCG_ACC_WRITE"]),
                (DeviceFilterProgram.AccMknod, DeviceFilterProgram.AccRead, DeviceFilterProgram.AccWrite));
            Assert.Equal(new long[] { v["prog_type"], v["insn_cnt"], v["insns"], v["license"], v["log_level"], v["log_size"], v["log_buf"], v["prog_name"] },
                new long[] { BpfNative.LoadProgType, BpfNative.LoadInsnCnt, BpfNative.LoadInsns, BpfNative.LoadLicense, BpfNative.LoadLogLevel, BpfNative.LoadLogSize, BpfNative.LoadLogBuf, BpfNative.LoadProgName });
            Assert.Equal(new long[] { v["target_fd"], v["attach_bpf_fd"], v["attach_type"], v["attach_flags"] },
                new long[] { BpfNative.AttachTargetFd, BpfNative.AttachBpfFd, BpfNative.AttachType, BpfNative.AttachFlags });
            Assert.Equal(new long[] { v["query.target_fd"], v["query.attach_type"], v["query.prog_ids"], v["query.prog_cnt"], v["prog_id"] },
                new long[] { BpfNative.QueryTargetFd, BpfNative.QueryAttachType, BpfNative.QueryProgIds, BpfNative.QueryProgCnt, 0 });
            Assert.Equal((12L, 4L, 8L), (v["sizeof(struct bpf_cgroup_dev_ctx)"], v["offsetof(struct bpf_cgroup_dev_ctx, major)"], v["offsetof(struct bpf_cgroup_dev_ctx, minor)"]));
            Assert.Equal(1, v["attr_covers_128"]); // AttrSize never passes bytes beyond the union
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void V2_apply_attaches_the_compiled_program_to_the_containers_cgroup()
    {
        using var k = new RecordingV2Kernel();
        var m = Assert.IsType<CgroupV2Manager>(CgroupManagerFactory.For("c1", k.Kernel.Detect(), k));
        m.Create();
        m.Apply(new CgroupResources(PidsLimit: 5));
        Assert.Empty(k.Attached);

        m.Apply(new CgroupResources(Devices: Defaults));
        var (dir, program) = Assert.Single(k.Attached);
        Assert.Equal(m.Directory, dir);
        Assert.Equal(DeviceFilterProgram.Compile(Defaults), program);
    }

    [Fact]
    public void On_the_real_cgroup2_hierarchy_a_process_in_the_cgroup_cannot_open_denied_devices()
    {
        if (!Environment.IsPrivilegedProcess) throw new InvalidOperationException("needs root");
        var info = CgroupDetector.Detect();
        if (info.UnifiedMountPoint is not { } unified) return; // no cgroup2 mounted: nothing to attach to
        // In hybrid mode the cgroup2 tree has no controllers, but device programs attached there
        // still run for its processes (the kernel checks them before v1's devices cgroup).
        var v2Layout = new CgroupInfo { Mode = CgroupMode.V2, Root = unified, UnifiedMountPoint = unified };
        using var cg = new RealCgroup(id => new CgroupV2Manager(v2Layout, "/containerps/" + id));
        var v2 = (CgroupV2Manager)cg.Manager;
        v2.Create();
        v2.Apply(new CgroupResources(Devices: Defaults));
        v2.Apply(new CgroupResources(Devices: Defaults)); // a second apply replaces the first program
        Assert.Single(BpfNative.AttachedPrograms(v2.Directory));

        var (stdout, stderr) = cg.RunInside("head -c 1 /dev/kmsg >/dev/null && echo kmsg-read; head -c 3 /dev/zero | wc -c; head -c 1 /dev/loop0 >/dev/null && echo loop-read");
        Assert.Equal("3", stdout.Trim());
        Assert.Equal(2, stderr.Split("Operation not permitted").Length - 1);
    }

    /// <summary>A fake v2 kernel that records device program attachments instead of calling bpf(2).</summary>
    private sealed class RecordingV2Kernel : CgroupFiles, IDisposable
    {
        public FakeCgroupKernel Kernel { get; } = FakeCgroupKernel.V2();
        public List<(string Directory, ulong[] Program)> Attached { get; } = new();
        public override bool FileExists(string path) => Kernel.FileExists(path);
        public override bool DirectoryExists(string path) => Kernel.DirectoryExists(path);
        public override IReadOnlyList<string> ListDirectories(string path) => Kernel.ListDirectories(path);
        public override bool CreateDirectory(string path) => Kernel.CreateDirectory(path);
        public override void RemoveDirectory(string path) => Kernel.RemoveDirectory(path);
        public override string ReadText(string path) => Kernel.ReadText(path);
        public override void WriteText(string path, string value) => Kernel.WriteText(path, value);
        public override void AttachDeviceFilter(string directory, ulong[] program) => Attached.Add((directory, program));
        public void Dispose() => Kernel.Dispose();
    }

    /// <summary>Runs the subset of eBPF the compiler emits on one bpf_cgroup_dev_ctx; returns R0.</summary>
    private static long Run(ulong[] program, uint type, uint access, uint major, uint minor)
    {
        var ctx = new[] { (access << 16) | type, major, minor };
        var r = new long[11];
        for (var pc = 0; pc < program.Length; pc++)
        {
            var insn = program[pc];
            var code = (byte)insn;
            var dst = (int)((insn >> 8) & 0xF);
            var src = (int)((insn >> 12) & 0xF);
            var off = (short)(insn >> 16);
            var imm = (int)(insn >> 32);
            switch (code)
            {
                case 0x61: Assert.Equal(1, src); r[dst] = ctx[off / 4]; break;
                case 0x57: r[dst] &= imm; break;
                case 0x77: r[dst] = (long)((ulong)r[dst] >> imm); break;
                case 0xb7: r[dst] = imm; break;
                case 0xbf: r[dst] = r[src]; break;
                case 0x15: if (r[dst] == imm) pc += off; break;
                case 0x55: if (r[dst] != imm) pc += off; break;
                case 0x95: return r[0];
                default: throw new InvalidOperationException($"opcode 0x{code:x2} at {pc}");
            }
        }
        throw new InvalidOperationException("fell off the end of the program");
    }
}
