namespace ContainerPS.Module.Containers;

/// <summary>What Wait-Container writes for each container once it has exited (docker wait prints the code).</summary>
public sealed class ContainerWaitResult
{
    public ContainerWaitResult(string name, string id, int exitCode)
    {
        Name = name;
        Id = id;
        ExitCode = exitCode;
    }

    public string Name { get; }
    public string Id { get; }
    public int ExitCode { get; }

    public override string ToString() => ExitCode.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
