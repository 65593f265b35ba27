using System.Runtime.InteropServices;

namespace ContainerPS.Runtime.Spawning;

/// <summary>A spawn-related call failed; names the call (or the program) and errno.</summary>
public sealed class SpawnException : Exception
{
    public SpawnException(string what, int errno)
        : base($"{what}: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno})")
    {
        What = what;
        Errno = errno;
    }

    public string What { get; }
    public int Errno { get; }
}
