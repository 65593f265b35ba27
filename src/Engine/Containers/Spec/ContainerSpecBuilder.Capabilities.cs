using ContainerPS.Engine.Errors;
using ContainerPS.Runtime.Spec;

namespace ContainerPS.Engine.Containers.Spec;

public sealed partial class ContainerSpecBuilder
{
    /// <summary>
    /// Docker's default capabilities tweaked by --cap-add/--cap-drop (moby caps.TweakCapabilities):
    /// names are normalised ("net_admin" → "CAP_NET_ADMIN"); add ALL gives every capability except
    /// the dropped ones; drop ALL keeps only the added ones; otherwise drop, then add. "ALL" means
    /// what the caller can grant (<see cref="CallerCapabilities"/>), and adding a capability the
    /// caller lacks is refused here rather than by the runtime's EPERM.
    /// </summary>
    /// <exception cref="InvalidArgumentException">A name is unknown, or names a capability the caller cannot grant.</exception>
    public List<string> ResolveCapabilities(IEnumerable<string>? add, IEnumerable<string>? drop)
    {
        var adds = Normalize(add);
        var drops = Normalize(drop);
        var available = CallerCapabilities ?? LinuxCapabilityNames.All;

        List<string> caps;
        if (adds.Contains("ALL"))
            caps = available.Where(c => !drops.Contains(c)).ToList();
        else if (drops.Contains("ALL"))
            caps = adds.ToList();
        else
            caps = SpecDefaults.Capabilities.Where(c => !drops.Contains(c)).Concat(adds).ToList();

        caps = caps.Where(c => c != "ALL").Distinct(StringComparer.Ordinal).ToList();
        foreach (var c in adds)
        {
            if (c != "ALL" && !available.Contains(c, StringComparer.Ordinal))
                throw new InvalidArgumentException("CapabilityUnavailable",
                    $"cannot add capability {c}: the calling process does not hold it (not in its bounding set)", c);
        }
        // Defaults the caller lacks are left out rather than failing every container.
        return caps.Where(c => available.Contains(c, StringComparer.Ordinal)).ToList();
    }

    /// <summary>
    /// The spec's capability sets (moby oci.SetCapabilities): root gets the list as bounding,
    /// effective and permitted; other users only as bounding, matching what execve gives a
    /// non-root process. Inheritable and ambient stay empty (Docker ≥ 20.10.14, CVE-2022-24769).
    /// </summary>
    public static SpecCapabilities CapabilitySets(IReadOnlyList<string> caps, uint uid) =>
        uid == 0
            ? new SpecCapabilities { Bounding = caps.ToList(), Effective = caps.ToList(), Permitted = caps.ToList() }
            : new SpecCapabilities { Bounding = caps.ToList() };

    private static List<string> Normalize(IEnumerable<string>? names)
    {
        var result = new List<string>();
        foreach (var name in names ?? Array.Empty<string>())
        {
            var n = LinuxCapabilityNames.Normalize(name)
                ?? throw new InvalidArgumentException("InvalidCapability", $"unknown capability: \"{name}\"", name);
            result.Add(n);
        }
        return result;
    }
}
