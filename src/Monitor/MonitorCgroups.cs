using ContainerPS.Runtime.Cgroups;
using ContainerPS.Runtime.Monitor;

namespace ContainerPS.Monitor;

/// <summary>The built-in runtime's cgroup for a container, with the limits the engine put in monitor.json.</summary>
public static class MonitorCgroups
{
    /// <param name="layout">The host's cgroup layout if already detected (an early start does it while it waits).</param>
    public static (ICgroupManager Cgroup, CgroupResources? Resources) For(MonitorConfig config, CgroupInfo? layout = null) =>
        (layout is null ? CgroupManagerFactory.For(config.Id) : CgroupManagerFactory.For(config.Id, layout), config.Resources?.ToResources());
}
