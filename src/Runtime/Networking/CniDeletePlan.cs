using System.Text.Json.Nodes;

namespace ContainerPS.Runtime.Networking;

/// <summary>One plugin call of a DEL: the plugin, its configuration, and the call whose success it needs (null: none).</summary>
internal sealed record CniCall(string Type, string Config, CniCall? Requires = null);

/// <summary>
/// How a configuration list is deleted: stages run one after the other, the calls of a stage
/// side by side. Every DEL of ours makes the plugins run several `iptables -D/-F/-X`, each an
/// nf_tables deleting transaction that waits 10–27 ms for an RCU grace period when it closes its
/// netlink socket; run together, those waits overlap instead of adding up (issue 4).
/// <para>
/// The catch is the address: a plugin whose <c>ipam</c> section allocates one (the bridge with
/// host-local) frees it in its own DEL, and a container started in the meantime may be given it
/// and add the same `CNI-FORWARD -s/-d &lt;ip&gt;/32 -j ACCEPT` rules (the firewall plugin's rules
/// name only the address) — which a firewall DEL of the old container still running would then
/// delete. So the plugins run with the no-op <c>static</c> IPAM in place of theirs (its DEL frees
/// nothing; the bridge still deletes the veth and its NAT chain, which depend on an IPAM type
/// being set, not on which), and the real IPAM DEL runs alone in the last stage, once no plugin
/// DEL that could delete rules for the address is running — and only when the plugin that owns
/// the address deleted its interface, as the bridge plugin itself frees it only then.
/// </para>
/// Without a <c>static</c> plugin in the CNI path the plan is the spec's serial one.
/// </summary>
internal sealed class CniDeletePlan
{
    /// <summary>The no-op IPAM plugin of containernetworking-plugins: its DEL reads its configuration and returns.</summary>
    public const string NoOpIpam = "static";

    private CniDeletePlan(string network, IReadOnlyList<IReadOnlyList<CniCall>> stages)
    {
        Network = network;
        Stages = stages;
    }

    /// <summary>The configuration list's name (CNI network name), for errors.</summary>
    public string Network { get; }
    public IReadOnlyList<IReadOnlyList<CniCall>> Stages { get; }

    /// <summary>
    /// The DEL of <paramref name="confList"/> with the cached <paramref name="result"/>;
    /// <paramref name="concurrent"/>: the static IPAM plugin exists, so the plugins may run together.
    /// </summary>
    /// <exception cref="FormatException">The configuration list is malformed.</exception>
    public static CniDeletePlan For(string confList, string? runtimeConfig, string? result, bool concurrent)
    {
        var (name, version, plugins) = CniNetworkList.Parse(confList);
        var runtime = runtimeConfig is null ? null : JsonNode.Parse(runtimeConfig) as JsonObject;
        var stages = new List<IReadOnlyList<CniCall>>();
        if (!concurrent)
        {
            // The spec's order: in reverse, one at a time.
            for (var i = plugins.Count - 1; i >= 0; i--)
                stages.Add(new[] { new CniCall(CniNetworkList.Type(plugins[i]), CniNetworkList.Config(plugins[i], name, version, result, runtime)) });
            return new CniDeletePlan(name, stages);
        }
        var together = new List<CniCall>();
        var releases = new List<CniCall>();
        for (var i = plugins.Count - 1; i >= 0; i--)
        {
            var plugin = plugins[i];
            var type = CniNetworkList.Type(plugin);
            if (IpamType(plugin) is not { } ipam)
            {
                together.Add(new CniCall(type, CniNetworkList.Config(plugin, name, version, result, runtime)));
                continue;
            }
            var withoutIpam = (JsonObject)plugin.DeepClone();
            withoutIpam["ipam"] = new JsonObject { ["type"] = NoOpIpam };
            var owner = new CniCall(type, CniNetworkList.Config(withoutIpam, name, version, result, runtime));
            together.Add(owner);
            // What the plugin itself would have handed its IPAM: its own configuration, unchanged.
            releases.Add(new CniCall(ipam, CniNetworkList.Config(plugin, name, version, result, runtime), owner));
        }
        stages.Add(together);
        if (releases.Count > 0) stages.Add(releases);
        return new CniDeletePlan(name, stages);
    }

    /// <summary>
    /// Runs the stages with <paramref name="invoke"/>(type, config) — a plugin's DEL — the calls
    /// of a stage side by side. Every call runs (one failing does not stop the others)
    /// except one whose <see cref="CniCall.Requires"/> failed; the first failure in plan order is
    /// thrown at the end.
    /// </summary>
    public void Run(Action<string, string> invoke)
    {
        var failed = new Dictionary<CniCall, Exception>(ReferenceEqualityComparer.Instance);
        Exception? first = null;
        foreach (var stage in Stages)
        {
            var calls = stage.Where(c => c.Requires is null || !failed.ContainsKey(c.Requires)).ToList();
            var failures = SideBySide.Run(calls.Select(c => (Action)(() => invoke(c.Type, c.Config))).ToList());
            for (var i = 0; i < calls.Count; i++)
            {
                if (failures[i] is not { } ex) continue;
                failed[calls[i]] = ex;
                first ??= ex;
            }
        }
        if (first is not null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(first).Throw();
    }

    /// <summary>The type of the IPAM plugin <paramref name="plugin"/> delegates to when it is one that allocates; null otherwise.</summary>
    private static string? IpamType(JsonObject plugin) =>
        plugin["ipam"] is JsonObject ipam && ipam["type"] is JsonValue t && t.TryGetValue<string>(out var type) && type.Length > 0 && type != NoOpIpam
            ? type
            : null;
}
