namespace ContainerPS.Runtime.Spawning;

/// <summary>Decodes a waitpid status the way a shell reports it: exit code, or 128 + signal.</summary>
public readonly record struct WaitStatus(int Raw)
{
    public bool Exited => (Raw & 0x7f) == 0;
    public int ExitCode => (Raw >> 8) & 0xff;
    public bool Signaled => ((Raw & 0x7f) + 1) >> 1 > 0 && !Exited && (Raw & 0xff) != 0x7f;
    public int Signal => Raw & 0x7f;
    /// <summary>Docker's convention: the exit code, or 128 + the signal that killed the process.</summary>
    public int ShellExitCode => Exited ? ExitCode : 128 + Signal;
}
