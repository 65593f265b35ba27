using System.Globalization;
using ContainerPS.Engine.Errors;

namespace ContainerPS.Engine.Containers.Spec;

/// <summary>
/// A parsed restart policy ("no", "on-failure[:max-retries]", "always", "unless-stopped"),
/// validated with Docker's rules and messages (docker/cli ParseRestartPolicy, moby
/// ValidateRestartPolicy). <see cref="MaximumRetryCount"/> 0 means unlimited retries.
/// </summary>
public sealed record RestartPolicy(string Name, int MaximumRetryCount)
{
    public const string No = "no", OnFailure = "on-failure", Always = "always", UnlessStopped = "unless-stopped";

    public static RestartPolicy None { get; } = new(No, 0);

    /// <summary>True for "no": the container is never restarted.</summary>
    public bool IsNone => Name == No;

    public override string ToString() =>
        Name == OnFailure && MaximumRetryCount > 0 ? $"{Name}:{MaximumRetryCount}" : Name;

    /// <summary>Parses and validates a policy; null or "" mean "no" (as Docker's API allows).</summary>
    /// <exception cref="InvalidArgumentException">The policy is unknown or malformed; the message names the value.</exception>
    public static RestartPolicy Parse(string? policy)
    {
        if (string.IsNullOrEmpty(policy)) return None;
        var colon = policy.IndexOf(':');
        var name = colon < 0 ? policy : policy[..colon];
        var count = 0;
        if (colon >= 0)
        {
            if (name.Length == 0) throw Invalid(policy, "invalid restart policy format: no policy provided before colon");
            var value = policy[(colon + 1)..];
            if (value.Length > 0 && !int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out count))
                throw Invalid(policy, "invalid restart policy format: maximum retry count must be an integer");
        }

        switch (name)
        {
            case No or Always or UnlessStopped:
                if (count != 0)
                    throw Invalid(policy, "invalid restart policy: maximum retry count can only be used with 'on-failure'" +
                        (count < 0 ? " and cannot be negative" : ""));
                return name == No ? None : new RestartPolicy(name, 0);
            case OnFailure:
                if (count < 0) throw Invalid(policy, "invalid restart policy: maximum retry count cannot be negative");
                return new RestartPolicy(name, count);
            default:
                throw Invalid(policy,
                    $"invalid restart policy: unknown policy '{name}'; use one of '{No}', '{Always}', '{OnFailure}', or '{UnlessStopped}'");
        }
    }

    private static InvalidArgumentException Invalid(string policy, string message) =>
        new("InvalidRestartPolicy", $"{message} (got '{policy}')", policy);
}
