using System.Text.Json.Nodes;

namespace ContainerPS.Runtime.Networking;

/// <summary>
/// Runs a CNI network configuration list as the spec's conflist semantics say: ADD calls the
/// plugins in order, each getting the previous plugin's result as prevResult; DEL calls them
/// with the cached final result (side by side, the address released last: <see cref="CniDeletePlan"/>);
/// every plugin config gets the list's name and cniVersion, and runtimeConfig holds only the
/// capabilities the plugin declares.
/// </summary>
public static class CniNetworkList
{
    /// <summary>ADD: returns the final result. On failure the plugins already added are deleted again (best effort) before the error is thrown.</summary>
    /// <exception cref="CniException">A plugin failed.</exception>
    public static string Add(string confList, string? runtimeConfig, CniInvocation invocation)
    {
        var (name, version, plugins) = Parse(confList);
        var runtime = runtimeConfig is null ? null : JsonNode.Parse(runtimeConfig) as JsonObject;
        string? prev = null;
        for (var i = 0; i < plugins.Count; i++)
        {
            try
            {
                prev = CniPlugin.Invoke(invocation, Type(plugins[i]), "ADD", name, Config(plugins[i], name, version, prev, runtime));
            }
            catch (CniException)
            {
                // The spec: a runtime that fails an ADD must DEL the whole list before giving up.
                TryDelete(confList, runtimeConfig, prev, invocation);
                throw;
            }
        }
        return prev ?? "{}";
    }

    /// <summary>
    /// DEL with the cached result: the plugins side by side and the address released last
    /// (<see cref="CniDeletePlan"/>; in reverse order, one at a time, without the static IPAM
    /// plugin); every plugin is called even when one fails; the first failure is thrown afterwards.
    /// </summary>
    /// <exception cref="CniException">A plugin failed to delete.</exception>
    public static void Delete(string confList, string? runtimeConfig, string? result, CniInvocation invocation)
    {
        var plan = CniDeletePlan.For(confList, runtimeConfig, result, concurrent: CniPlugin.Find(invocation.CniPath, CniDeletePlan.NoOpIpam) is not null);
        plan.Run((type, config) => CniPlugin.Invoke(invocation, type, "DEL", plan.Network, config));
    }

    /// <summary>
    /// DEL that never throws a plugin's failure (clean-up after a failure, or of a container that
    /// is gone anyway): returns false and hands it to <paramref name="failed"/>.
    /// </summary>
    public static bool TryDelete(string confList, string? runtimeConfig, string? result, CniInvocation invocation, Action<CniException>? failed = null)
    {
        try
        {
            Delete(confList, runtimeConfig, result, invocation);
            return true;
        }
        catch (CniException ex)
        {
            failed?.Invoke(ex);
            return false;
        }
    }

    internal static (string Name, string Version, List<JsonObject> Plugins) Parse(string confList)
    {
        var root = JsonNode.Parse(confList) as JsonObject ?? throw new FormatException("a CNI network configuration list must be a JSON object");
        var name = root["name"]?.GetValue<string>() ?? throw new FormatException("the CNI network configuration list has no name");
        var version = root["cniVersion"]?.GetValue<string>() ?? "1.0.0";
        var plugins = (root["plugins"] as JsonArray)?.OfType<JsonObject>().ToList()
            ?? throw new FormatException($"the CNI network configuration list \"{name}\" has no plugins");
        return (name, version, plugins);
    }

    internal static string Type(JsonObject plugin) =>
        plugin["type"]?.GetValue<string>() ?? throw new FormatException("a CNI plugin configuration has no type");

    internal static string Config(JsonObject plugin, string name, string version, string? prevResult, JsonObject? runtime)
    {
        var conf = (JsonObject)plugin.DeepClone();
        conf["name"] = name;
        conf["cniVersion"] = version;
        if (prevResult is not null) conf["prevResult"] = JsonNode.Parse(prevResult);
        if (runtime is not null && conf["capabilities"] is JsonObject capabilities)
        {
            var selected = new JsonObject();
            foreach (var (key, enabled) in capabilities)
                if (enabled?.GetValue<bool>() == true && runtime[key] is { } value) selected[key] = value.DeepClone();
            if (selected.Count > 0) conf["runtimeConfig"] = selected;
        }
        return conf.ToJsonString();
    }
}
