namespace ContainerPS.Runtime.Linux.Recording;

/// <summary>A recorded execve(2).</summary>
public sealed record ExecveCall(string Path, IReadOnlyList<string> Argv, IReadOnlyList<string> Envp) : SyscallRecord
{
    public override string ToString() => $"execve {Path} [{string.Join(", ", Argv)}]";
}
