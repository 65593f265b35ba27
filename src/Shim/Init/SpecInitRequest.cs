using ContainerPS.Runtime.Init;
using ContainerPS.Runtime.Spec;

namespace ContainerPS.Shim.Init;

/// <summary>Maps an OCI runtime spec (config.json) onto what the built-in init executes.</summary>
public static class SpecInitRequest
{
    public static InitRequest From(RuntimeSpec spec, string bundle)
    {
        var process = spec.Process ?? throw new InvalidDataException("config.json has no process");
        var root = spec.Root?.Path ?? "rootfs";
        var rootfs = Path.IsPathRooted(root) ? root : Path.Combine(bundle, root);
        var linux = spec.Linux;
        return new InitRequest(
            new RootfsRequest
            {
                RootfsPath = rootfs,
                Mounts = (spec.Mounts ?? new()).Select(m => new MountRequest(m.Destination, m.Type, m.Source, m.Options ?? new List<string>())).ToList(),
                Devices = linux?.Devices is { Count: > 0 } devices
                    ? devices.Select(d => new DeviceRequest(d.Path, d.Type.Length > 0 ? d.Type[0] : 'c', d.Major, d.Minor, d.FileMode ?? 0x1B6, d.Uid ?? 0, d.Gid ?? 0)).ToList()
                    : DeviceRequest.Defaults,
                MaskedPaths = linux?.MaskedPaths ?? new List<string>(),
                ReadonlyPaths = linux?.ReadonlyPaths ?? new List<string>(),
                ReadonlyRoot = spec.Root?.Readonly ?? false,
                RootfsPropagation = linux?.RootfsPropagation,
                Hostname = spec.Hostname,
                Sysctl = linux?.Sysctl ?? new Dictionary<string, string>(),
            },
            new ProcessRequest
            {
                Args = process.Args ?? throw new InvalidDataException("config.json: process.args is empty"),
                Env = process.Env ?? new List<string>(),
                Cwd = process.Cwd,
                Uid = process.User.Uid,
                Gid = process.User.Gid,
                AdditionalGids = process.User.AdditionalGids ?? new List<uint>(),
                Umask = process.User.Umask,
                Capabilities = process.Capabilities is { } caps ? new CapabilityRequest
                {
                    Bounding = caps.Bounding ?? new List<string>(),
                    Effective = caps.Effective ?? new List<string>(),
                    Inheritable = caps.Inheritable ?? new List<string>(),
                    Permitted = caps.Permitted ?? new List<string>(),
                    Ambient = caps.Ambient ?? new List<string>(),
                } : null,
                Rlimits = (process.Rlimits ?? new()).Select(r => new RlimitRequest(r.Type, r.Soft, r.Hard)).ToList(),
                NoNewPrivileges = process.NoNewPrivileges,
                OomScoreAdj = process.OomScoreAdj,
            });
    }
}
