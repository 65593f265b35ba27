namespace ContainerPS.Runtime.Init;

/// <summary>Everything <see cref="RootfsSetup"/> needs: the mounted rootfs and what to do in it.</summary>
public sealed record RootfsRequest
{
    /// <summary>Absolute host path where the parent mounted the rootfs (in this mount namespace).</summary>
    public required string RootfsPath { get; init; }

    public IReadOnlyList<MountRequest> Mounts { get; init; } = [];

    /// <summary>Extra devices (linux.devices); <see cref="DeviceRequest.Defaults"/> are always created unless overridden by path.</summary>
    public IReadOnlyList<DeviceRequest> Devices { get; init; } = [];

    /// <summary>linux.maskedPaths: /dev/null bound over files, read-only tmpfs over directories.</summary>
    public IReadOnlyList<string> MaskedPaths { get; init; } = [];

    /// <summary>linux.readonlyPaths: bind-mounted onto themselves read-only.</summary>
    public IReadOnlyList<string> ReadonlyPaths { get; init; } = [];

    /// <summary>root.readonly: remount / read-only after everything is mounted.</summary>
    public bool ReadonlyRoot { get; init; }

    /// <summary>linux.rootfsPropagation ("rslave" when null, as runc).</summary>
    public string? RootfsPropagation { get; init; }

    /// <summary>hostname; not set when null or empty.</summary>
    public string? Hostname { get; init; }

    /// <summary>The process's working directory: created (0755) if missing, before the root goes read-only, as runc and Docker do.</summary>
    public string? Cwd { get; init; }

    /// <summary>linux.sysctl: written to /proc/sys after the pivot.</summary>
    public IReadOnlyDictionary<string, string> Sysctl { get; init; } = new Dictionary<string, string>();
}
