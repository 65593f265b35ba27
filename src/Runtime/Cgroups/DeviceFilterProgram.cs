namespace ContainerPS.Runtime.Cgroups;

/// <summary>
/// Compiles device rules into the eBPF program cgroup v2 needs in place of v1's devices files
/// (BPF_PROG_TYPE_CGROUP_DEVICE, as runc's and crun's device filters). The kernel runs it on
/// every open and mknod of a device node by a process in the cgroup, with a
/// <c>struct bpf_cgroup_dev_ctx { u32 access_type; u32 major; u32 minor; }</c>
/// (access_type = access &lt;&lt; 16 | type); returning 0 refuses with EPERM.
///
/// The rules are checked last to first and the first that matches decides, which is the OCI
/// spec's "last match wins"; a rule for all devices ends the search (nothing before it
/// matters), and with none the answer is deny. An allow matches a request whose access it
/// covers entirely; a deny matches any request sharing an access bit with it, so a partial deny
/// never lets the rest of a combined request through.
/// </summary>
public static class DeviceFilterProgram
{
    /// <summary>bpf_cgroup_dev_ctx.access_type's type half (linux/bpf.h BPF_DEVCG_DEV_*).</summary>
    public const uint DevBlock = 1, DevChar = 2;

    /// <summary>bpf_cgroup_dev_ctx.access_type's access half (linux/bpf.h BPF_DEVCG_ACC_*).</summary>
    public const uint AccMknod = 1, AccRead = 2, AccWrite = 4;

    // Opcodes (linux/bpf_common.h, linux/bpf.h): class | size/op | source.
    private const byte LdxMemW = 0x61;  // BPF_LDX | BPF_MEM | BPF_W: dst = *(u32 *)(src + off)
    private const byte AndK = 0x57;     // BPF_ALU64 | BPF_AND | BPF_K
    private const byte RshK = 0x77;     // BPF_ALU64 | BPF_RSH | BPF_K
    private const byte MovK = 0xb7;     // BPF_ALU64 | BPF_MOV | BPF_K
    private const byte MovX = 0xbf;     // BPF_ALU64 | BPF_MOV | BPF_X
    private const byte JeqK = 0x15;     // BPF_JMP | BPF_JEQ | BPF_K: if dst == imm goto pc + 1 + off
    private const byte JneK = 0x55;     // BPF_JMP | BPF_JNE | BPF_K
    private const byte Exit = 0x95;     // BPF_JMP | BPF_EXIT

    // Registers: R1 holds the context on entry (then scratch), R0 the verdict.
    private const int R0 = 0, R1 = 1, RType = 2, RAccess = 3, RMajor = 4, RMinor = 5;

    /// <summary>The program for <paramref name="rules"/> in the given order, one 64-bit word per instruction.</summary>
    public static ulong[] Compile(IReadOnlyList<DeviceRule> rules)
    {
        var program = new List<ulong>
        {
            Insn(LdxMemW, RType, R1, 0, 0),
            Insn(AndK, RType, 0, 0, 0xFFFF),
            Insn(LdxMemW, RAccess, R1, 0, 0),
            Insn(RshK, RAccess, 0, 0, 16),
            Insn(LdxMemW, RMajor, R1, 4, 0),
            Insn(LdxMemW, RMinor, R1, 8, 0),
        };
        for (var i = rules.Count - 1; i >= 0; i--)
        {
            var rule = rules[i];
            if (rule.IsAll)
            {
                program.Add(Insn(MovK, R0, 0, 0, rule.Allow ? 1 : 0));
                program.Add(Insn(Exit, 0, 0, 0, 0));
                return program.ToArray();
            }
            // Tests that each jump to the end of this rule's block when the rule does not match.
            var tests = new List<(byte Op, int Dst, int Imm)>();
            var access = Access(rule.Access);
            tests.Add((JneK, RType, (int)(rule.Type == 'b' ? DevBlock : DevChar)));
            if (access != (AccMknod | AccRead | AccWrite))
            {
                // allow: no requested bit outside the rule's; deny: some requested bit inside it.
                tests.Add((MovX, R1, RAccess));
                tests.Add((AndK, R1, (int)(rule.Allow ? ~access & 7 : access)));
                tests.Add((rule.Allow ? JneK : JeqK, R1, 0));
            }
            if (rule.Major is { } major) tests.Add((JneK, RMajor, checked((int)major)));
            if (rule.Minor is { } minor) tests.Add((JneK, RMinor, checked((int)minor)));
            var blockLength = tests.Count + 2;
            for (var t = 0; t < tests.Count; t++)
            {
                var (op, dst, imm) = tests[t];
                program.Add(op switch
                {
                    MovX => Insn(MovX, dst, imm, 0, 0),
                    AndK => Insn(AndK, dst, 0, 0, imm),
                    _ => Insn(op, dst, 0, (short)(blockLength - t - 1), imm), // past the verdict and exit
                });
            }
            program.Add(Insn(MovK, R0, 0, 0, rule.Allow ? 1 : 0));
            program.Add(Insn(Exit, 0, 0, 0, 0));
        }
        program.Add(Insn(MovK, R0, 0, 0, 0));
        program.Add(Insn(Exit, 0, 0, 0, 0));
        return program.ToArray();
    }

    /// <summary>BPF_DEVCG_ACC_* bits of an access string ("rwm").</summary>
    public static uint Access(string access) =>
        (access.Contains('m') ? AccMknod : 0) | (access.Contains('r') ? AccRead : 0) | (access.Contains('w') ? AccWrite : 0);

    /// <summary>struct bpf_insn { u8 code; u8 dst_reg:4, src_reg:4; s16 off; s32 imm; }, little-endian.</summary>
    private static ulong Insn(byte code, int dst, int src, short off, int imm) =>
        code | ((ulong)(byte)((dst & 0xF) | ((src & 0xF) << 4)) << 8) | ((ulong)(ushort)off << 16) | ((ulong)(uint)imm << 32);
}
