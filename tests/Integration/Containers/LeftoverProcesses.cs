namespace ContainerPS.Tests.Integration.Containers;

/// <summary>
/// The test runs' safety net: kills the monitor and container processes of containers a test
/// created, found by the container ID in their command line (containerps-monitor monitor
/// .../containers/ID/monitor.json, containerps-shim init .../containers/ID/bundle) and their
/// children, so a test never leaves processes behind when the engine failed to stop them.
/// </summary>
internal static class LeftoverProcesses
{
    public static int Kill(IReadOnlyCollection<string> containerIds)
    {
        if (containerIds.Count == 0) return 0;
        var killed = 0;
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid)) continue;
            string cmdline;
            try { cmdline = File.ReadAllText(Path.Combine(dir, "cmdline")).Replace('\0', ' '); }
            catch (IOException) { continue; }
            catch (UnauthorizedAccessException) { continue; }
            if (!(cmdline.StartsWith("containerps-shim ", StringComparison.Ordinal) || cmdline.StartsWith("containerps-monitor ", StringComparison.Ordinal)) || !containerIds.Any(id => cmdline.Contains(id, StringComparison.Ordinal))) continue;
            foreach (var child in Children(pid)) killed += KillOne(child);
            killed += KillOne(pid);
        }
        return killed;
    }

    private static IEnumerable<int> Children(int pid)
    {
        var children = new List<int>();
        try
        {
            foreach (var task in Directory.EnumerateDirectories($"/proc/{pid}/task"))
                foreach (var part in File.ReadAllText(Path.Combine(task, "children")).Split(' ', StringSplitOptions.RemoveEmptyEntries))
                    if (int.TryParse(part, out var child)) children.Add(child);
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return children;
    }

    private static int KillOne(int pid)
    {
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            process.Kill();
            return 1;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            return 0;
        }
    }
}
