using ContainerPS.Runtime.Cgroups;
using ContainerPS.Runtime.Monitor;

namespace ContainerPS.Monitor;

/// <summary>The built-in runtime's cgroup for a container, with the limits the engine put in monitor.json.</summary>
public static class MonitorCgroups
{
    public static (ICgroupManager Cgroup, CgroupResources? Resources) For(MonitorConfig config) =>
        (CgroupManagerFactory.For(config.Id), config.Resources?.ToResources());
}
