namespace ContainerPS.Runtime.Networking;

/// <summary>
/// A CNI plugin failed: names the plugin, the command and the network, with the plugin's own
/// error (CNI spec "Error" result: code, msg, details) or what went wrong running it.
/// </summary>
public sealed class CniException : Exception
{
    public CniException(string plugin, string command, string network, int code, string message)
        : base($"CNI {command} {plugin} on network \"{network}\": {message}" + (code > 0 ? $" (code {code})" : ""))
    {
        Plugin = plugin;
        Command = command;
        Network = network;
        Code = code;
    }

    public string Plugin { get; }
    public string Command { get; }
    public string Network { get; }
    /// <summary>The CNI error code (spec: 1 incompatible version … 11 try again later; ≥100 plugin-specific), 0 when the plugin gave none.</summary>
    public int Code { get; }
}
