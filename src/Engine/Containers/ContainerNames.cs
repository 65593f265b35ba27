using System.Security.Cryptography;
using System.Text.RegularExpressions;
using ContainerPS.Engine.Errors;

namespace ContainerPS.Engine.Containers;

/// <summary>Container names: Docker's rule for valid names, and generated "adjective_name" names.</summary>
public static partial class ContainerNames
{
    private static readonly string[] Adjectives =
    {
        "admiring", "bold", "brave", "clever", "dazzling", "eager", "elegant", "focused", "gallant", "happy",
        "jolly", "keen", "kind", "lucid", "modest", "nifty", "optimistic", "peaceful", "quirky", "relaxed",
        "serene", "sharp", "stoic", "tender", "upbeat", "vibrant", "wizardly", "zealous",
    };

    private static readonly string[] Surnames =
    {
        "babbage", "bardeen", "curie", "darwin", "dijkstra", "einstein", "euler", "feynman", "galileo", "hopper",
        "hypatia", "kepler", "knuth", "lamarr", "lovelace", "meitner", "newton", "noether", "pasteur", "ritchie",
        "shannon", "thompson", "torvalds", "turing", "wozniak", "yalow",
    };

    [GeneratedRegex("^[a-zA-Z0-9][a-zA-Z0-9_.-]+$")]
    private static partial Regex ValidName();

    public static string Validate(string name)
    {
        var trimmed = name.TrimStart('/');
        if (!ValidName().IsMatch(trimmed))
            throw new InvalidArgumentException("InvalidContainerName", $"Invalid container name ({name}), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed", name);
        return trimmed;
    }

    /// <summary>Network names follow the same rule as container names (docker's).</summary>
    public static string ValidNetworkName(string name)
    {
        if (!ValidName().IsMatch(name))
            throw new InvalidArgumentException("InvalidNetworkName", $"invalid network name \"{name}\": only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed", name);
        return name;
    }

    public static string Generate(Func<string, bool> taken)
    {
        for (var attempt = 0; ; attempt++)
        {
            var name = Adjectives[RandomNumberGenerator.GetInt32(Adjectives.Length)] + "_" + Surnames[RandomNumberGenerator.GetInt32(Surnames.Length)];
            if (attempt > 10) name += RandomNumberGenerator.GetInt32(10);
            if (!taken(name)) return name;
        }
    }

    public static string NewId() => Convert.ToHexString(RandomNumberGenerator.GetBytes(32)).ToLowerInvariant();
}
