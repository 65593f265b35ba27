using System.Text.Json.Serialization;

namespace ContainerPS.Runtime.Monitor;

/// <summary>
/// What the engine tells a container's monitor (containers/&lt;id&gt;/monitor.json). The OCI
/// spec (bundle/config.json) says what to run; this says how to look after it.
/// </summary>
public sealed class MonitorConfig
{
    [JsonPropertyName("id")] public string Id { get; set; } = "";
    /// <summary>containers/&lt;id&gt;: state.json, the log and the socket live here.</summary>
    [JsonPropertyName("containerDir")] public string ContainerDir { get; set; } = "";
    /// <summary>The OCI bundle (config.json and the rootfs mount point).</summary>
    [JsonPropertyName("bundle")] public string Bundle { get; set; } = "";
    /// <summary>Docker json-file log.</summary>
    [JsonPropertyName("logPath")] public string LogPath { get; set; } = "";
    [JsonPropertyName("tty")] public bool Tty { get; set; }
    /// <summary>Keep stdin open for attach (-Interactive).</summary>
    [JsonPropertyName("openStdin")] public bool OpenStdin { get; set; }
    /// <summary>Close the container's stdin when the first attached client detaches (docker run -i).</summary>
    [JsonPropertyName("stdinOnce")] public bool StdinOnce { get; set; }
    [JsonPropertyName("restartPolicy")] public string RestartPolicy { get; set; } = "no";
    [JsonPropertyName("restartMaxRetries")] public int RestartMaxRetries { get; set; }
    /// <summary>Remove the container directory when it exits (docker run --rm).</summary>
    [JsonPropertyName("autoRemove")] public bool AutoRemove { get; set; }
    /// <summary>"builtin", or an OCI runtime binary on PATH ("runc", "crun").</summary>
    [JsonPropertyName("runtime")] public string Runtime { get; set; } = "builtin";
    /// <summary>The container's root file system, described, not mounted: the monitor mounts it in the container's private mount namespace.</summary>
    [JsonPropertyName("rootfs")] public MountDescription Rootfs { get; set; } = new();
    /// <summary>The store lock file, taken when the monitor removes the container (-AutoRemove).</summary>
    [JsonPropertyName("storeLock")] public string? StoreLock { get; set; }
    /// <summary>
    /// Hold the container before exec until the first client attaches (interactive runs),
    /// so not a byte of its output or a keystroke of input is missed.
    /// </summary>
    [JsonPropertyName("waitForAttach")] public bool WaitForAttach { get; set; }

    /// <summary>
    /// The engine runs the network's CNI ADDs while this monitor starts up, and says on the
    /// monitor's stdin when they are done ("ok") or have failed (an error line): the process is
    /// held before exec until then, on the first start only.
    /// </summary>
    [JsonPropertyName("waitForNetwork")] public bool WaitForNetwork { get; set; }

    /// <summary>
    /// The network is only a namespace of ours (-Network none: no CNI attachment, no peers): the
    /// monitor removes it itself at the end instead of running containerps-shim netdown.
    /// </summary>
    [JsonPropertyName("netnsOnly")] public bool NetnsOnly { get; set; }
    /// <summary>The built-in runtime's cgroup limits (the bundle's linux.resources); null for none or an external runtime.</summary>
    [JsonPropertyName("resources")] public CgroupLimits? Resources { get; set; }
    /// <summary>The network namespace to join (container:&lt;name&gt; / shared netns), or null for a new one.</summary>
    [JsonPropertyName("netnsPath")] public string? NetnsPath { get; set; }
    /// <summary>-Network host: the container stays in the host's network namespace.</summary>
    [JsonPropertyName("hostNetwork")] public bool HostNetwork { get; set; }
    /// <summary>containers/&lt;id&gt;/network.json when the engine set up CNI networking the monitor must tear down at the end.</summary>
    [JsonPropertyName("networkFile")] public string? NetworkFile { get; set; }
    /// <summary>
    /// How many published-port sockets the engine passed as fds 3, 4, …: the monitor holds them
    /// while the container runs so no other process can take those host ports (podman's conmon does the same).
    /// </summary>
    [JsonPropertyName("portFds")] public int PortFds { get; set; }
}
