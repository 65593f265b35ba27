using ContainerPS.Engine.Errors;

namespace ContainerPS.Engine.Containers;

/// <summary>
/// The key sequence that ends an attach and leaves the container running, written as Docker
/// writes it (--detach-keys, moby/term's ToBytes): comma-separated keys, each one character
/// or <c>ctrl-a</c> … <c>ctrl-z</c>, <c>ctrl-@</c>, <c>ctrl-[</c>, <c>ctrl-\</c>,
/// <c>ctrl-]</c>, <c>ctrl-^</c>, <c>ctrl-_</c>, or <c>DEL</c>. The default is ctrl-p,ctrl-q.
/// </summary>
public static class DetachKeys
{
    public const string Default = "ctrl-p,ctrl-q";

    /// <summary>ctrl-p ctrl-q.</summary>
    public static byte[] DefaultBytes => new byte[] { 0x10, 0x11 };

    /// <summary>The bytes <paramref name="keys"/> stands for (null or empty: the default).</summary>
    /// <exception cref="InvalidArgumentException">InvalidDetachKeys: an unknown key name.</exception>
    public static byte[] Parse(string? keys)
    {
        if (string.IsNullOrEmpty(keys)) return DefaultBytes;
        var codes = new List<byte>();
        foreach (var key in keys.Split(','))
        {
            if (key.Length == 1 && key[0] < 0x80)
            {
                codes.Add((byte)key[0]);
                continue;
            }
            if (key == "DEL")
            {
                codes.Add(127);
                continue;
            }
            // Docker's names are lower-case "ctrl-" and the control character's caret letter.
            if (key.Length == 6 && key.StartsWith("ctrl-", StringComparison.Ordinal))
            {
                var c = key[5];
                if (c is >= 'a' and <= 'z') { codes.Add((byte)(c - 'a' + 1)); continue; }
                if (c is '@' or '[' or '\\' or ']' or '^' or '_') { codes.Add((byte)(c - '@')); continue; }
            }
            throw new InvalidArgumentException("InvalidDetachKeys",
                $"Invalid detach keys ({keys}) provided: unknown key '{key}' (use one character, ctrl-a…ctrl-z, ctrl-@, ctrl-[, ctrl-\\, ctrl-], ctrl-^, ctrl-_ or DEL, separated by commas)", keys);
        }
        return codes.ToArray();
    }
}
