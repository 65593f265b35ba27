using System.Text.Json;
using System.Text.Json.Nodes;

namespace ContainerPS.Runtime.Networking;

/// <summary>
/// Brings a container's network up (namespace, loopback, each attachment's CNI ADD) and down
/// (CNI DEL, the address released last; namespace removed). Shared by the engine (start,
/// remove, stale clean-up) and the monitor (the one process that always sees the container stop for good).
/// </summary>
public static class NetworkLifecycle
{
    /// <summary>The loopback plugin's configuration list: CNI brings lo up too.</summary>
    public const string LoopbackConfList = "{\"cniVersion\":\"1.0.0\",\"name\":\"containerps-loopback\",\"plugins\":[{\"type\":\"loopback\"}]}";

    /// <summary>
    /// Creates the namespace (when owned) and runs every ADD, filling in each attachment's result
    /// and address. On failure everything done so far is undone before the error is thrown.
    /// </summary>
    /// <exception cref="CniException">A plugin failed.</exception>
    /// <exception cref="IOException">The namespace could not be created.</exception>
    public static void Up(NetworkSetup setup, string containerId)
    {
        if (setup.NetnsPath is null) return;
        if (setup.OwnsNetns) NetworkNamespace.Create(setup.NetnsPath);
        AddAll(setup, containerId);
    }

    /// <summary>
    /// Every ADD into the namespace that already exists (the engine creates it before the monitor
    /// starts and runs these meanwhile). On failure everything is undone, the namespace included.
    /// </summary>
    /// <exception cref="CniException">A plugin failed.</exception>
    public static void AddAll(NetworkSetup setup, string containerId)
    {
        if (setup.NetnsPath is null) return;
        // lo and the networks are independent interfaces: their plugins run side by side (each
        // plugin is a process of its own; on the start path every exec saved counts).
        var loopback = setup.Loopback is { } lo
            ? Task.Run(() => CniNetworkList.Add(lo, null, new CniInvocation(containerId, setup.NetnsPath, "lo", setup.CniPath)))
            : Task.FromResult("");
        try
        {
            try
            {
                foreach (var attachment in setup.Attachments) Attach(setup, attachment, containerId);
            }
            finally
            {
                loopback.Wait();
            }
        }
        catch (AggregateException ex) when (ex.InnerException is not null)
        {
            Down(setup, containerId);
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(ex.InnerException).Throw();
        }
        catch
        {
            Down(setup, containerId);
            throw;
        }
    }

    /// <summary>ADD of one attachment (also Connect-ContainerNetwork on a running container).</summary>
    public static void Attach(NetworkSetup setup, CniAttachment attachment, string containerId)
    {
        var result = CniNetworkList.Add(attachment.ConfList, attachment.RuntimeConfig,
            new CniInvocation(containerId, setup.NetnsPath, attachment.IfName, setup.CniPath));
        attachment.Result = result;
        ReadAddress(attachment, result);
    }

    /// <summary>
    /// DEL of one attachment; a plugin's failure is not thrown (it must not keep a container from
    /// stopping) but returned as false and handed to <paramref name="failed"/>.
    /// </summary>
    public static bool Detach(NetworkSetup setup, CniAttachment attachment, string containerId, Action<CniException>? failed = null)
    {
        if (attachment.Result is null) return true;
        var ok = CniNetworkList.TryDelete(attachment.ConfList, attachment.RuntimeConfig, attachment.Result,
            new CniInvocation(containerId, setup.NetnsPath, attachment.IfName, setup.CniPath), failed);
        attachment.Result = null;
        return ok;
    }

    /// <summary>
    /// Tears everything down: every network's DEL side by side, then the namespace. Returns
    /// false when a plugin reported a failure (each handed to <paramref name="failed"/>, from
    /// the thread that ran it); a plugin that could not even be run throws, after the other
    /// networks' DELs ended.
    /// </summary>
    public static bool Down(NetworkSetup setup, string containerId, Action<CniException>? failed = null)
    {
        // Networks never share an address (their subnets cannot overlap), so no network's DEL
        // can delete rules for another's; each releases its own lease last (CniDeletePlan).
        var attachments = setup.Attachments.AsEnumerable().Reverse().ToList();
        var ok = new bool[attachments.Count];
        var failures = SideBySide.Run(attachments.Select((a, i) => (Action)(() => ok[i] = Detach(setup, a, containerId, failed))).ToList());
        if (failures.FirstOrDefault(f => f is not null) is { } failure) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(failure).Throw();
        // No DEL for lo: the loopback plugin's DEL only sets lo down, and the namespace goes now.
        if (setup.NetnsPath is not null && setup.OwnsNetns) NetworkNamespace.Remove(setup.NetnsPath);
        return ok.All(x => x);
    }

    /// <summary>The first IPv4 address, its gateway and the container-side MAC from a CNI result.</summary>
    private static void ReadAddress(CniAttachment attachment, string result)
    {
        try
        {
            var root = JsonNode.Parse(result);
            var interfaces = root?["interfaces"] as JsonArray;
            foreach (var ip in (root?["ips"] as JsonArray)?.OfType<JsonObject>() ?? Enumerable.Empty<JsonObject>())
            {
                var address = ip["address"]?.GetValue<string>();
                if (address is null || address.Contains(':')) continue;
                attachment.Address = address;
                attachment.Gateway = ip["gateway"]?.GetValue<string>();
                if (ip["interface"] is JsonValue index && interfaces?[index.GetValue<int>()] is JsonObject iface)
                    attachment.MacAddress = iface["mac"]?.GetValue<string>();
                return;
            }
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException or ArgumentOutOfRangeException)
        {
            // A result without a usable address: the container simply has none to show.
        }
    }
}
