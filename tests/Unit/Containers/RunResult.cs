namespace ContainerPS.Tests.Unit.Containers;

/// <summary>A container run to its end: exit code and its log, by stream.</summary>
public sealed record RunResult(string Id, int ExitCode, string Stdout, string Stderr)
{
    public string[] Lines => Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    public override string ToString() => $"exit {ExitCode}; stdout: {Stdout}; stderr: {Stderr}";
}
