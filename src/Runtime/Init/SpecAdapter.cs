using ContainerPS.Runtime.Spec;

namespace ContainerPS.Runtime.Init;

/// <summary>Builds the init's <see cref="InitRequest"/> from an OCI <see cref="RuntimeSpec"/> (config.json).</summary>
public static class SpecAdapter
{
    /// <summary>
    /// The request for <paramref name="spec"/>, whose rootfs the parent mounted at
    /// <paramref name="rootfsPath"/> (absolute; root.path may be bundle-relative, so the caller resolves it).
    /// </summary>
    /// <exception cref="ContainerInitException">The spec has no process or an invalid device type.</exception>
    public static InitRequest FromSpec(RuntimeSpec spec, string rootfsPath, int parentDeathSignal = 0)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var process = spec.Process ?? throw new ContainerInitException("config.json has no process");
        var linux = spec.Linux;
        var rootfs = new RootfsRequest
        {
            RootfsPath = rootfsPath,
            Cwd = process.Cwd,
            Mounts = (spec.Mounts ?? []).Select(m => new MountRequest(m.Destination, m.Type, m.Source, m.Options ?? [])).ToList(),
            Devices = (linux?.Devices ?? []).Select(d => new DeviceRequest(
                d.Path,
                d.Type.Length == 1 ? d.Type[0] : throw new ContainerInitException($"device {d.Path}: invalid type \"{d.Type}\""),
                d.Major, d.Minor, d.FileMode ?? 0x1B6, d.Uid ?? 0, d.Gid ?? 0)).ToList(),
            MaskedPaths = linux?.MaskedPaths ?? [],
            ReadonlyPaths = linux?.ReadonlyPaths ?? [],
            ReadonlyRoot = spec.Root?.Readonly ?? false,
            RootfsPropagation = linux?.RootfsPropagation,
            Hostname = spec.Hostname,
            Sysctl = linux?.Sysctl ?? new Dictionary<string, string>(),
        };
        var caps = process.Capabilities;
        var request = new ProcessRequest
        {
            Args = process.Args ?? [],
            Env = process.Env ?? [],
            Cwd = string.IsNullOrEmpty(process.Cwd) ? "/" : process.Cwd,
            Uid = process.User.Uid,
            Gid = process.User.Gid,
            AdditionalGids = process.User.AdditionalGids ?? [],
            Umask = process.User.Umask,
            Capabilities = caps is null ? null : new CapabilityRequest
            {
                Bounding = caps.Bounding ?? [],
                Effective = caps.Effective ?? [],
                Inheritable = caps.Inheritable ?? [],
                Permitted = caps.Permitted ?? [],
                Ambient = caps.Ambient ?? [],
            },
            Rlimits = (process.Rlimits ?? []).Select(r => new RlimitRequest(r.Type, r.Soft, r.Hard)).ToList(),
            NoNewPrivileges = process.NoNewPrivileges,
            OomScoreAdj = process.OomScoreAdj,
            ParentDeathSignal = parentDeathSignal,
        };
        return new InitRequest(rootfs, request);
    }
}
