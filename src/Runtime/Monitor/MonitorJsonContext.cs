using System.Text.Json.Serialization;

namespace ContainerPS.Runtime.Monitor;

/// <summary>Source-generated JSON for the monitor contract (the shim is NativeAOT: no reflection).</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, UseStringEnumConverter = true,
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(MonitorConfig))]
[JsonSerializable(typeof(ContainerStateFile))]
[JsonSerializable(typeof(MonitorRequest))]
[JsonSerializable(typeof(MonitorResponse))]
[JsonSerializable(typeof(MonitorReady))]
[JsonSerializable(typeof(LogEntry))]
[JsonSerializable(typeof(MountDescription))]
[JsonSerializable(typeof(CgroupLimits))]
[JsonSerializable(typeof(ExecRequest))]
[JsonSerializable(typeof(ContainerPS.Runtime.Networking.NetworkSetup))]
public partial class MonitorJsonContext : JsonSerializerContext
{
}
