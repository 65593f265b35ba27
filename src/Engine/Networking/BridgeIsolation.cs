using ContainerPS.Runtime.IO;

namespace ContainerPS.Engine.Networking;

/// <summary>
/// The firewall plugin's per-bridge isolation rules (ingressPolicy "same-bridge": traffic from
/// other bridges is dropped) are the same for every container on a bridge and stay until the
/// network is removed, yet the plugin checks them again with seven iptables runs on every ADD.
/// So only the first container on a bridge gets "same-bridge" (the plugin still writes the
/// rules); later ones get "open", which skips that step and nothing else. A marker under /run
/// (cleared with iptables at reboot) holds the bridge's ifindex: a bridge deleted and created
/// again (network rm, a test, an admin) has a new one, and the rules are laid again.
/// </summary>
internal static class BridgeIsolation
{
    /// <summary>Machine-wide, as the bridges and the rules are.</summary>
    public const string Directory = "/run/containerps/cni/isolated";

    /// <summary>Whether the next ADD on <paramref name="network"/> must lay the isolation rules.</summary>
    public static bool Needed(ContainerNetwork network)
    {
        if (network.BridgeName is not { } bridge) return true;
        var index = IfIndex(bridge);
        if (index is null) return true;
        try { return File.ReadAllText(MarkerOf(bridge)).Trim() != index; }
        catch (IOException) { return true; }
        catch (UnauthorizedAccessException) { return true; }
    }

    /// <summary>After an ADD with "same-bridge" succeeded: the rules of this bridge (as it is now) are in place.</summary>
    public static void Record(ContainerNetwork network)
    {
        if (network.BridgeName is not { } bridge || IfIndex(bridge) is not { } index) return;
        try
        {
            System.IO.Directory.CreateDirectory(Directory);
            AtomicFile.WriteAllBytes(MarkerOf(bridge), System.Text.Encoding.ASCII.GetBytes(index), durable: false);
        }
        catch (IOException)
        {
            // No marker: the next ADD lays the rules again, as before.
        }
    }

    /// <summary>The rules were deleted (network rm).</summary>
    public static void Forget(string bridge) => AtomicFile.TryDelete(MarkerOf(bridge));

    private static string MarkerOf(string bridge) => Path.Combine(Directory, bridge);

    private static string? IfIndex(string bridge)
    {
        try { return File.ReadAllText($"/sys/class/net/{bridge}/ifindex").Trim(); }
        catch (IOException) { return null; }
        catch (UnauthorizedAccessException) { return null; }
    }
}
