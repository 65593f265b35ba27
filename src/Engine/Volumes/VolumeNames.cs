using System.Security.Cryptography;
using System.Text.RegularExpressions;
using ContainerPS.Engine.Errors;

namespace ContainerPS.Engine.Volumes;

/// <summary>Volume names as Docker's local driver allows them, and anonymous names (64 hex digits, like Docker's).</summary>
public static partial class VolumeNames
{
    [GeneratedRegex("^[a-zA-Z0-9][a-zA-Z0-9_.-]+$")]
    private static partial Regex Valid();

    /// <exception cref="InvalidArgumentException">"InvalidVolumeName" with Docker's message.</exception>
    public static string Validate(string name)
    {
        if (!Valid().IsMatch(name ?? ""))
            throw new InvalidArgumentException("InvalidVolumeName",
                $"\"{name}\" includes invalid characters for a local volume name, only \"[a-zA-Z0-9][a-zA-Z0-9_.-]\" are allowed. If you intended to pass a host directory, use absolute path",
                name);
        return name!;
    }

    public static string NewAnonymous() => Convert.ToHexString(RandomNumberGenerator.GetBytes(32)).ToLowerInvariant();
}
