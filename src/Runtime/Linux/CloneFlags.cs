namespace ContainerPS.Runtime.Linux;

/// <summary>clone(2)/unshare(2)/setns(2) flags from &lt;sched.h&gt;; identical on x86_64 and arm64.</summary>
public static class CloneFlags
{
    public const int CLONE_NEWTIME = 0x80, CLONE_FS = 0x200, CLONE_FILES = 0x400, CLONE_NEWNS = 0x20000,
        CLONE_NEWCGROUP = 0x02000000, CLONE_NEWUTS = 0x04000000, CLONE_NEWIPC = 0x08000000,
        CLONE_NEWUSER = 0x10000000, CLONE_NEWPID = 0x20000000, CLONE_NEWNET = 0x40000000;
}
