using ContainerPS.Runtime.Linux;
using static ContainerPS.Runtime.Linux.PrctlOptions;

namespace ContainerPS.Runtime.Init;

/// <summary>
/// The process half of the container init, after runc's standard_init and finalizeNamespace:
/// rlimits, oom_score_adj, umask, no_new_privs, bounding set, user switch, capabilities, cwd,
/// PATH lookup and execve. Runs after <see cref="RootfsSetup"/>, inside the new root.
/// </summary>
/// <remarks>
/// Order matters: rlimits and oom_score_adj go first (raising a hard limit or lowering the
/// OOM score needs CAP_SYS_RESOURCE); the bounding set is dropped while the init is still
/// root (PR_CAPBSET_DROP needs CAP_SETPCAP); PR_SET_KEEPCAPS keeps the permitted set across
/// setresuid; capset and the ambient raise come last, once the final user is in place.
/// </remarks>
public sealed class ProcessSetup
{
    private readonly ISyscalls _sys;
    private readonly ProcessRequest _request;

    public ProcessSetup(ISyscalls sys, ProcessRequest request)
    {
        _sys = sys;
        _request = request;
        if (request.Args.Count == 0) throw new ContainerInitException("process.args must not be empty");
    }

    /// <summary>Applies everything and execve's the entrypoint (returns only with a recording <see cref="ISyscalls"/>).</summary>
    /// <exception cref="ContainerInitException">A step failed; the message names it.</exception>
    public void Run()
    {
        Prepare();
        var path = PathLookup.Find(_sys, _request.Args[0], _request.Env);
        Step($"exec {path}", () => _sys.Execve(path, _request.Args, _request.Env));
    }

    /// <summary>Everything up to (not including) the PATH lookup and execve.</summary>
    public void Prepare()
    {
        foreach (var rl in _request.Rlimits)
        {
            var resource = RlimitResources.FromName(rl.Type)
                ?? throw new ContainerInitException($"unknown rlimit type \"{rl.Type}\"");
            Step($"setting rlimit {rl.Type}", () => _sys.Setrlimit(resource, rl.Soft, rl.Hard));
        }
        if (_request.OomScoreAdj is { } oom)
            Step("setting oom_score_adj", () => _sys.WriteFile("/proc/self/oom_score_adj", oom.ToString()));
        _sys.Umask(_request.Umask ?? 0x12);
        if (_request.NoNewPrivileges)
            Step("setting no_new_privs", () => _sys.Prctl(PR_SET_NO_NEW_PRIVS, 1));
        FinalizeNamespace();
    }

    /// <summary>runc's finalizeNamespace: bounding set, user, cwd, capabilities, parent-death signal.</summary>
    private void FinalizeNamespace()
    {
        var plan = _request.Capabilities is { } caps ? CapabilityPlan.From(caps, CapabilityPlan.ReadLastCap(_sys)) : null;

        // chdir before the user switch (root may reach a directory the user cannot); retried after it on EACCES/EPERM.
        var chdirLater = !TryChdir(retryable: true);

        if (plan is not null)
        {
            Step("dropping bounding set", () =>
            {
                foreach (var cap in plan.BoundingDrops())
                {
                    try { _sys.Prctl(PR_CAPBSET_DROP, (ulong)cap); }
                    catch (SyscallError e) when (e.Errno == Errno.EINVAL) { } // not supported by this kernel
                }
            });
        }
        Step("setting keepcaps", () => _sys.Prctl(PR_SET_KEEPCAPS, 1));
        Step($"setting user {_request.Uid}:{_request.Gid}", () =>
        {
            _sys.Setgroups(_request.AdditionalGids);
            _sys.Setresgid(_request.Gid, _request.Gid, _request.Gid);
            _sys.Setresuid(_request.Uid, _request.Uid, _request.Uid);
        });
        if (chdirLater) TryChdir(retryable: false);
        Step("clearing keepcaps", () => _sys.Prctl(PR_SET_KEEPCAPS, 0));
        if (plan is not null)
        {
            Step("setting capabilities", () => _sys.Capset(new CapabilitySets(plan.Effective, plan.Permitted, plan.Inheritable)));
            Step("setting ambient capabilities", () =>
            {
                _sys.Prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL);
                foreach (var cap in plan.AmbientRaises())
                    _sys.Prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, (ulong)cap);
            });
        }
        // Changing user clears the parent-death signal: arm it again.
        if (_request.ParentDeathSignal != 0)
            Step("setting parent death signal", () => _sys.Prctl(PR_SET_PDEATHSIG, (ulong)_request.ParentDeathSignal));
    }

    private bool TryChdir(bool retryable)
    {
        try
        {
            _sys.Chdir(_request.Cwd);
            return true;
        }
        catch (SyscallError e) when (retryable && e.Errno is Errno.EACCES or Errno.EPERM)
        {
            return false;
        }
        catch (SyscallError e)
        {
            throw new ContainerInitException(
                $"chdir to cwd (\"{_request.Cwd}\") set in config.json failed: {PathLookup.Text(e.Errno)}", e);
        }
    }

    private static void Step(string what, Action action)
    {
        try
        {
            action();
        }
        catch (SyscallError e)
        {
            throw new ContainerInitException($"{what}: {e.Message}", e);
        }
    }
}
