using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace ContainerPS.Tests.Unit.Networking;

/// <summary>Reading interface lists, veths and iptables state, and fetching from the host, for the network tests.</summary>
internal static class NetworkTestSupport
{
    /// <summary>Interface names from a /proc/net/dev listing, sorted.</summary>
    public static string[] Interfaces(string procNetDev) =>
        procNetDev.Split('\n').Where(l => l.Contains(':')).Select(l => l[..l.IndexOf(':')].Trim()).Where(n => n.Length > 0 && !n.Contains(' ')).OrderBy(n => n, StringComparer.Ordinal).ToArray();

    public static string[] HostInterfaces() => Interfaces(File.ReadAllText("/proc/net/dev"));

    /// <summary>A TCP port free right now on every address (the kernel's choice).</summary>
    public static int FreePort()
    {
        var l = new TcpListener(IPAddress.Any, 0);
        l.Start();
        var port = ((IPEndPoint)l.LocalEndpoint).Port;
        l.Stop();
        return port;
    }

    /// <summary>GET http://address:port/path from the host, retrying while the server in the container starts; null when it never answers.</summary>
    public static async Task<string?> Fetch(string address, int port, string path = "/index.html", int attempts = 50)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(3) };
        for (var i = 0; i < attempts; i++)
        {
            try { return await http.GetStringAsync($"http://{address}:{port}{path}"); }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            await Task.Delay(100);
        }
        return null;
    }

    /// <summary>iptables-save output (both families' v4 tables).</summary>
    public static string IptablesSave() => Run("iptables-save");

    /// <summary>Lines of <paramref name="after"/> not in <paramref name="before"/> that mention any of <paramref name="needles"/>.</summary>
    public static List<string> NewLinesMentioning(string before, string after, IEnumerable<string> needles)
    {
        var old = before.Split('\n').ToHashSet(StringComparer.Ordinal);
        var list = needles.Where(n => !string.IsNullOrEmpty(n)).ToList();
        return after.Split('\n').Where(l => !l.StartsWith('#') && !old.Contains(l) && list.Any(n => l.Contains(n, StringComparison.Ordinal))).ToList();
    }

    public static bool LinkExists(string name) => Directory.Exists("/sys/class/net/" + name);

    public static string Run(string file, params string[] args)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) info.ArgumentList.Add(a);
        using var p = Process.Start(info)!;
        var output = p.StandardOutput.ReadToEnd();
        p.StandardError.ReadToEnd();
        p.WaitForExit();
        return output;
    }

    /// <summary>docker exec ID sh -c SCRIPT: its stdout and stderr together.</summary>
    public static string Exec(Containers.ContainerHarness h, string id, string script)
    {
        var output = new System.Text.StringBuilder();
        h.Containers.ExecAsync(id, new Engine.Containers.ExecOptions { Command = new[] { "sh", "-c", script } },
            new Engine.Containers.AttachStreams { Output = (_, bytes) => { lock (output) output.Append(System.Text.Encoding.UTF8.GetString(bytes.Span)); } },
            CancellationToken.None).GetAwaiter().GetResult();
        return output.ToString();
    }

    /// <summary>The busybox httpd command serving "<paramref name="text"/>" at /index.html on port 80.</summary>
    public static string[] Httpd(string text, int port = 80) =>
        new[] { "sh", "-c", $"mkdir -p /www && echo {text} > /www/index.html && exec httpd -f -p {port} -h /www" };
}
