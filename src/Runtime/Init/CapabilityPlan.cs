using ContainerPS.Runtime.Linux;

namespace ContainerPS.Runtime.Init;

/// <summary>
/// The capability masks a <see cref="CapabilityRequest"/> asks for (bit N = capability N),
/// limited to what the kernel knows (cap_last_cap); names that are unknown or beyond the
/// kernel's last capability are listed in <see cref="Ignored"/> and skipped, as runc does.
/// </summary>
public sealed record CapabilityPlan(ulong Bounding, ulong Effective, ulong Permitted, ulong Inheritable, ulong Ambient,
    int LastCap, IReadOnlyList<string> Ignored)
{
    /// <summary>Computes the masks for a request on a kernel whose highest capability is <paramref name="lastCap"/>.</summary>
    public static CapabilityPlan From(CapabilityRequest request, int lastCap)
    {
        var ignored = new List<string>();
        ulong Mask(IReadOnlyList<string> names)
        {
            ulong mask = 0;
            foreach (var name in names)
            {
                var cap = Capability.FromName(name);
                if (cap is null || cap > lastCap)
                {
                    if (!ignored.Contains(name)) ignored.Add(name);
                    continue;
                }
                mask |= 1UL << cap.Value;
            }
            return mask;
        }
        return new CapabilityPlan(Mask(request.Bounding), Mask(request.Effective), Mask(request.Permitted),
            Mask(request.Inheritable), Mask(request.Ambient), lastCap, ignored);
    }

    /// <summary>
    /// The highest capability of the running kernel, from /proc/sys/kernel/cap_last_cap;
    /// <see cref="Capability.CAP_LAST_KNOWN"/> when it cannot be read.
    /// </summary>
    public static int ReadLastCap(ISyscalls sys)
    {
        try
        {
            return int.TryParse(sys.ReadFile("/proc/sys/kernel/cap_last_cap").Trim(), out var n) && n >= 0 && n < 64
                ? n
                : Capability.CAP_LAST_KNOWN;
        }
        catch (SyscallError)
        {
            return Capability.CAP_LAST_KNOWN;
        }
    }

    /// <summary>The capabilities to drop from the bounding set, lowest first.</summary>
    public IEnumerable<int> BoundingDrops()
    {
        for (var cap = 0; cap <= LastCap; cap++)
            if ((Bounding & (1UL << cap)) == 0) yield return cap;
    }

    /// <summary>The capabilities to raise in the ambient set, lowest first.</summary>
    public IEnumerable<int> AmbientRaises()
    {
        for (var cap = 0; cap <= LastCap; cap++)
            if ((Ambient & (1UL << cap)) != 0) yield return cap;
    }
}
