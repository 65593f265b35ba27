namespace ContainerPS.Runtime.Spec;

/// <summary>
/// A runtime-spec document (config.json) could not be read or written. The message names the
/// file (or "config.json" when parsed from memory) and what was wrong with it.
/// </summary>
public sealed class RuntimeSpecException : Exception
{
    public RuntimeSpecException(string message, string? path = null, Exception? inner = null)
        : base(message, inner)
    {
        Path = path;
    }

    /// <summary>The file that failed, when there was one.</summary>
    public string? Path { get; }
}
