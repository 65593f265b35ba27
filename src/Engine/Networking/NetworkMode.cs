using ContainerPS.Engine.Errors;

namespace ContainerPS.Engine.Networking;

/// <summary>docker run --network: "bridge" (the default), "host", "none", "container:&lt;name|id&gt;", or a user-defined network's name.</summary>
public sealed record NetworkMode(NetworkModeKind Kind, string? Name)
{
    public static NetworkMode Default { get; } = new(NetworkModeKind.Bridge, NetworkManager.DefaultNetworkName);

    /// <exception cref="InvalidArgumentException">An empty container name after "container:".</exception>
    public static NetworkMode Parse(string? value)
    {
        if (string.IsNullOrEmpty(value) || value is "default" or NetworkManager.DefaultNetworkName) return Default;
        if (value == "host") return new(NetworkModeKind.Host, null);
        if (value == "none") return new(NetworkModeKind.None, null);
        if (value.StartsWith("container:", StringComparison.Ordinal))
        {
            var target = value["container:".Length..];
            if (target.Length == 0)
                throw new InvalidArgumentException("InvalidNetworkMode", $"invalid network mode '{value}': container:<name|id> needs a container", value);
            return new(NetworkModeKind.Container, target);
        }
        return new(NetworkModeKind.Bridge, value);
    }

    /// <summary>Whether the container is on a user-defined network (where peers resolve by name).</summary>
    public bool IsUserDefined => Kind == NetworkModeKind.Bridge && Name != NetworkManager.DefaultNetworkName;

    public override string ToString() => Kind switch
    {
        NetworkModeKind.Host => "host",
        NetworkModeKind.None => "none",
        NetworkModeKind.Container => "container:" + Name,
        _ => Name!,
    };
}
