using ContainerPS.Engine.Containers;
using ContainerPS.Engine.Containers.Spec;
using ContainerPS.Engine.Images;
using ContainerPS.Runtime.Spec;

namespace ContainerPS.Tests.Unit.Spec;

/// <summary>Hermetic builders and inputs for the spec tests.</summary>
internal static class SpecTestBuilder
{
    public const string ContainerId = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    public const string ImageId = "sha256:1111111111111111111111111111111111111111111111111111111111111111";

    public static ContainerSpecBuilder Builder(
        IReadOnlyDictionary<string, string>? callerEnv = null, ulong nofileHard = 20000, ulong nprocHard = 96365,
        IReadOnlyList<string>? callerCaps = null, bool noNewPrivileges = true, bool swapLimitSupported = true) => new()
    {
        LookupEnvironment = name => callerEnv is not null && callerEnv.TryGetValue(name, out var v) ? v : null,
        CallerLimits = new ProcessLimits(new Dictionary<string, (ulong, ulong)>
        {
            ["RLIMIT_NOFILE"] = (1024, nofileHard),
            ["RLIMIT_NPROC"] = (nprocHard, nprocHard),
        }),
        CallerCapabilities = callerCaps ?? LinuxCapabilityNames.All,
        HostCpuCount = 4,
        SwapLimitSupported = swapLimitSupported,
        NoNewPrivileges = noNewPrivileges,
    };

    public static ContainerSpecInput Input(ContainerCreateOptions options, ContainerConfig? image = null, IRootfsReader? rootfs = null) => new()
    {
        ContainerId = ContainerId,
        ImageId = ImageId,
        ImageConfig = image,
        Options = options,
        Rootfs = rootfs ?? DictionaryRootfs.Debian(),
        HostsPath = "/var/lib/containerps/containers/" + ContainerId + "/hosts",
        HostnamePath = "/var/lib/containerps/containers/" + ContainerId + "/hostname",
        ResolvConfPath = "/var/lib/containerps/containers/" + ContainerId + "/resolv.conf",
    };

    public static ContainerCreateOptions Options(params string[] command) =>
        new() { Image = "busybox", Command = command.Length == 0 ? null : command };
}
