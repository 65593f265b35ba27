namespace ContainerPS.Runtime.Init;

/// <summary>A device node to create in the container (config.json linux.devices entry).</summary>
/// <param name="Path">Path inside the container ("/dev/fuse").</param>
/// <param name="Type">'c' (or 'u') character, 'b' block, 'p' FIFO.</param>
/// <param name="FileMode">Permission bits (0666 when the spec leaves it out).</param>
public sealed record DeviceRequest(string Path, char Type, long Major, long Minor, uint FileMode = 0x1B6, uint Uid = 0, uint Gid = 0)
{
    /// <summary>
    /// The devices every container gets, as runc's specconv.AllowedDevices: /dev/null, random,
    /// full, tty, zero and urandom, 0666 root:root.
    /// </summary>
    public static IReadOnlyList<DeviceRequest> Defaults { get; } =
    [
        new("/dev/null", 'c', 1, 3),
        new("/dev/random", 'c', 1, 8),
        new("/dev/full", 'c', 1, 7),
        new("/dev/tty", 'c', 5, 0),
        new("/dev/zero", 'c', 1, 5),
        new("/dev/urandom", 'c', 1, 9),
    ];

    /// <summary>glibc's makedev(3) encoding of <see cref="Major"/>:<see cref="Minor"/>.</summary>
    public ulong Device => MakeDevice((ulong)Major, (ulong)Minor);

    /// <summary>glibc's makedev(3).</summary>
    public static ulong MakeDevice(ulong major, ulong minor) =>
        ((major & 0xfffff000UL) << 32) | ((major & 0xfffUL) << 8) | ((minor & 0xffffff00UL) << 12) | (minor & 0xffUL);
}
