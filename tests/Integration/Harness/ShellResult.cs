namespace ContainerPS.Tests.Integration.Harness;

/// <summary>What a cpsh process did: its exit code and everything it wrote.</summary>
public sealed record ShellResult(int ExitCode, string StandardOutput, string StandardError)
{
    /// <summary>Stdout split into lines (without the final empty line).</summary>
    public IReadOnlyList<string> OutputLines =>
        StandardOutput.Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd('\n').Split('\n');

    public override string ToString() =>
        $"exit code {ExitCode}\n--- stdout ---\n{StandardOutput}\n--- stderr ---\n{StandardError}";
}
