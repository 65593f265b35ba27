using System.Management.Automation;
using ContainerPS.Engine.Errors;
using ContainerPS.Engine.Networking;
using ContainerPS.Module.Containers;

namespace ContainerPS.Module.Networks;

/// <summary>What the network cmdlets share: the store's networks, and names (wildcards allowed) resolved to them.</summary>
public abstract class NetworkCmdlet : ContainerCmdlet
{
    protected NetworkManager Networks => Containers.Networks;

    /// <summary>
    /// Wildcards match network names (no match is no error); a plain value is a name, ID or
    /// unique ID prefix, and writes ObjectNotFound (NetworkNotFound) when nothing has it.
    /// </summary>
    protected List<ContainerNetwork> ResolveNetworks(IEnumerable<string> names)
    {
        var result = new List<ContainerNetwork>();
        IReadOnlyList<ContainerNetwork>? all = null;
        foreach (var name in names)
        {
            if (WildcardPattern.ContainsWildcardCharacters(name))
            {
                if (all is null && !TryEngine(() => Networks.List(), name, out all)) return result;
                var pattern = new WildcardPattern(name, WildcardOptions.IgnoreCase | WildcardOptions.CultureInvariant);
                result.AddRange(all!.Where(n => pattern.IsMatch(n.Name) && !result.Contains(n)));
            }
            else if (TryEngine(() => Networks.Get(name), name, out var network) && !result.Any(n => n.Id == network.Id))
            {
                result.Add(network);
            }
        }
        return result;
    }
}
