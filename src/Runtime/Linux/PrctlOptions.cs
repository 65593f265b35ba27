namespace ContainerPS.Runtime.Linux;

/// <summary>prctl(2) options from &lt;linux/prctl.h&gt; used by the init.</summary>
public static class PrctlOptions
{
    public const int PR_SET_PDEATHSIG = 1, PR_GET_PDEATHSIG = 2, PR_GET_KEEPCAPS = 7, PR_SET_KEEPCAPS = 8,
        PR_CAPBSET_READ = 23, PR_CAPBSET_DROP = 24, PR_SET_NO_NEW_PRIVS = 38, PR_GET_NO_NEW_PRIVS = 39,
        PR_CAP_AMBIENT = 47;

    /// <summary>Second argument of PR_CAP_AMBIENT.</summary>
    public const int PR_CAP_AMBIENT_IS_SET = 1, PR_CAP_AMBIENT_RAISE = 2, PR_CAP_AMBIENT_LOWER = 3,
        PR_CAP_AMBIENT_CLEAR_ALL = 4;

    /// <summary>"PR_SET_KEEPCAPS" for 8 (messages and recorded calls).</summary>
    public static string Name(int option) => option switch
    {
        PR_SET_PDEATHSIG => "PR_SET_PDEATHSIG",
        PR_GET_PDEATHSIG => "PR_GET_PDEATHSIG",
        PR_GET_KEEPCAPS => "PR_GET_KEEPCAPS",
        PR_SET_KEEPCAPS => "PR_SET_KEEPCAPS",
        PR_CAPBSET_READ => "PR_CAPBSET_READ",
        PR_CAPBSET_DROP => "PR_CAPBSET_DROP",
        PR_SET_NO_NEW_PRIVS => "PR_SET_NO_NEW_PRIVS",
        PR_GET_NO_NEW_PRIVS => "PR_GET_NO_NEW_PRIVS",
        PR_CAP_AMBIENT => "PR_CAP_AMBIENT",
        _ => $"prctl {option}",
    };
}
