namespace ContainerPS.Runtime.Networking;

/// <summary>
/// Runs blocking actions (CNI plugin calls: a process each, waited for on its pipes) at the
/// same time: each but the first on a thread of its own — not the thread pool, which adds
/// threads slowly when they block — and the first on the caller's.
/// </summary>
internal static class SideBySide
{
    /// <summary>Runs every action; once all have ended, returns their failures (null where one succeeded), in order.</summary>
    public static Exception?[] Run(IReadOnlyList<Action> actions)
    {
        var failures = new Exception?[actions.Count];
        void Call(int i)
        {
            try { actions[i](); }
            catch (Exception ex) { failures[i] = ex; }
        }
        var threads = new List<Thread>();
        for (var i = 1; i < actions.Count; i++)
        {
            var index = i;
            var thread = new Thread(() => Call(index), 256 * 1024) { IsBackground = true, Name = "containerps-cni" };
            thread.Start();
            threads.Add(thread);
        }
        if (actions.Count > 0) Call(0);
        foreach (var thread in threads) thread.Join();
        return failures;
    }
}
