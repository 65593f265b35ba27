namespace ContainerPS.Runtime.Networking;

/// <summary>The CNI_* parameters of one plugin call (everything but the command and the config).</summary>
public sealed record CniInvocation(string ContainerId, string? NetnsPath, string IfName, string CniPath = CniPlugin.DefaultPath);
