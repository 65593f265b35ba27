using System.Text;
using System.Text.Json;
using ContainerPS.Runtime.Spawning;

namespace ContainerPS.Runtime.Networking;

/// <summary>
/// Runs one CNI plugin binary the way the CNI spec says a runtime does: the network
/// configuration as JSON on stdin, the parameters in CNI_* environment variables, the result
/// (or an error object) as JSON on stdout. Spawned with posix_spawn like every other child here.
/// </summary>
public static class CniPlugin
{
    /// <summary>Where Debian's containernetworking-plugins puts the plugins.</summary>
    public const string DefaultPath = "/usr/lib/cni";

    /// <summary>Runs <paramref name="type"/> with <paramref name="command"/> (ADD, DEL, CHECK); returns its stdout (the result).</summary>
    /// <exception cref="CniException">The plugin is missing, or it failed (its error message is in the exception).</exception>
    public static string Invoke(CniInvocation invocation, string type, string command, string network, string config)
    {
        var binary = Find(invocation.CniPath, type)
            ?? throw new CniException(type, command, network, 0, $"plugin \"{type}\" not found in {invocation.CniPath} (apt-get install containernetworking-plugins)");
        var environment = new List<string>
        {
            "CNI_COMMAND=" + command,
            "CNI_CONTAINERID=" + invocation.ContainerId,
            "CNI_NETNS=" + (invocation.NetnsPath ?? ""),
            "CNI_IFNAME=" + invocation.IfName,
            "CNI_PATH=" + invocation.CniPath,
            // portmap and firewall run iptables.
            "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
        };
        using var stdin = Pipe.Create();
        using var stdout = Pipe.Create();
        using var stderr = Pipe.Create();
        var pid = Spawner.Spawn(new SpawnRequest
        {
            Path = binary,
            Arguments = new[] { type },
            Environment = environment,
            Descriptors = new[] { (0, stdin.ReadFd), (1, stdout.WriteFd), (2, stderr.WriteFd) },
        });
        stdin.CloseRead();
        stdout.CloseWrite();
        stderr.CloseWrite();
        string output, errors;
        using (var errorReader = new StreamReader(stderr.TakeReader(), Encoding.UTF8))
        {
            var errorText = errorReader.ReadToEndAsync();
            try
            {
                using (var writer = stdin.TakeWriter()) writer.Write(Encoding.UTF8.GetBytes(config));
            }
            catch (IOException)
            {
                // The plugin exited without reading its configuration: its exit status says why.
            }
            using (var reader = new StreamReader(stdout.TakeReader(), Encoding.UTF8)) output = reader.ReadToEnd();
            errors = errorText.GetAwaiter().GetResult();
        }
        var status = new WaitStatus(Spawner.Wait(pid));
        if (status.Exited && status.ExitCode == 0) return output;
        throw Failure(type, command, network, output, errors, status);
    }

    private static CniException Failure(string type, string command, string network, string output, string errors, WaitStatus status)
    {
        // CNI spec: on failure the plugin prints {"cniVersion", "code", "msg", "details"} on stdout.
        try
        {
            using var doc = JsonDocument.Parse(output);
            var root = doc.RootElement;
            var code = root.TryGetProperty("code", out var c) && c.ValueKind == JsonValueKind.Number ? c.GetInt32() : 0;
            var msg = root.TryGetProperty("msg", out var m) ? m.GetString() ?? "" : "";
            if (root.TryGetProperty("details", out var d) && d.GetString() is { Length: > 0 } details) msg += ": " + details;
            if (msg.Length > 0) return new CniException(type, command, network, code, msg);
        }
        catch (JsonException)
        {
        }
        var text = (errors.Trim() + " " + output.Trim()).Trim();
        var how = status.Exited ? $"exit status {status.ExitCode}" : $"signal {status.Signal}";
        return new CniException(type, command, network, 0, text.Length > 0 ? $"{text} ({how})" : how);
    }

    /// <summary>The plugin binary <paramref name="type"/> in the first directory of <paramref name="cniPath"/> that has it; null when none does.</summary>
    internal static string? Find(string cniPath, string type)
    {
        if (type.Contains('/') || type.Contains("..", StringComparison.Ordinal)) return null;
        foreach (var dir in cniPath.Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, type);
            if (File.Exists(candidate)) return candidate;
        }
        return null;
    }
}
