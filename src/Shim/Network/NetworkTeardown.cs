using System.Text.Json;
using ContainerPS.Runtime.IO;
using ContainerPS.Runtime.Monitor;
using ContainerPS.Runtime.Networking;

namespace ContainerPS.Shim.Network;

/// <summary>
/// containerps-shim netdown &lt;network.json&gt; &lt;id&gt; &lt;containers dir&gt; [store lock]: the
/// network teardown of a container that stopped for good, run by its monitor as a child
/// process so the long-lived monitor carries none of the CNI and JSON code. CNI DEL for each
/// network in reverse, the namespace goes, peers' /etc/hosts forget it, and the published
/// ports are released (their sockets close with the monitor). network.json goes last, so an
/// engine finding it knows teardown is owed.
/// </summary>
public static class NetworkTeardown
{
    public static int Run(string file, string id, string containersDir, string? storeLock)
    {
        if (!File.Exists(file)) return 0;
        try
        {
            var setup = JsonSerializer.Deserialize(File.ReadAllBytes(file), MonitorJsonContext.Default.NetworkSetup);
            // Each failing plugin named with its own message (monitor.log): the others still ran.
            var ok = setup is null || NetworkLifecycle.Down(setup, id, ex => Console.Error.WriteLine($"containerps-shim: tearing down the network of {id}: {ex.Message}"));
            // The store lock only while the store exists: a store deleted under the container has
            // no peers to tell, and taking the lock would create its directory again.
            using (var held = storeLock is not null ? FileLock.AcquireIfPresent(storeLock) : null)
                if (held is not null || storeLock is null)
                    HostsFile.ForgetPeer(containersDir, id);
            File.Delete(file);
            return ok ? 0 : 1;
        }
        catch (Exception ex)
        {
            Console.Error.WriteLine($"containerps-shim: tearing down the network of {id}: {ex.Message}");
            return 1;
        }
    }
}
