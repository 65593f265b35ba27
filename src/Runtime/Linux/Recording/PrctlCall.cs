namespace ContainerPS.Runtime.Linux.Recording;

/// <summary>A recorded prctl(2); capability arguments are rendered by name ("prctl PR_CAPBSET_DROP CAP_SYS_ADMIN").</summary>
public sealed record PrctlCall(int Option, ulong Arg2, ulong Arg3, ulong Arg4, ulong Arg5) : SyscallRecord
{
    public override string ToString() => Option switch
    {
        PrctlOptions.PR_CAPBSET_DROP => $"prctl PR_CAPBSET_DROP {Capability.Name((int)Arg2)}",
        PrctlOptions.PR_CAP_AMBIENT => Arg2 switch
        {
            PrctlOptions.PR_CAP_AMBIENT_CLEAR_ALL => "prctl PR_CAP_AMBIENT CLEAR_ALL",
            PrctlOptions.PR_CAP_AMBIENT_RAISE => $"prctl PR_CAP_AMBIENT RAISE {Capability.Name((int)Arg3)}",
            PrctlOptions.PR_CAP_AMBIENT_LOWER => $"prctl PR_CAP_AMBIENT LOWER {Capability.Name((int)Arg3)}",
            _ => $"prctl PR_CAP_AMBIENT {Arg2} {Arg3}",
        },
        _ => $"prctl {PrctlOptions.Name(Option)} {Arg2}",
    };
}
