using ContainerPS.Engine.Errors;

namespace ContainerPS.Engine.Containers;

/// <summary>
/// A container could not be started: the message says why (the init's own words, e.g.
/// "exec: \"foo\": executable file not found in $PATH"); <see cref="ExitCode"/> is what
/// docker run would exit with (125 engine error, 126 not executable, 127 not found).
/// </summary>
public sealed class ContainerStartException : EngineException
{
    public ContainerStartException(string container, string message, int exitCode)
        : base(ErrorKind.FailedPrecondition, "ContainerStartFailed", $"failed to start container {container}: {message}", container)
    {
        ExitCode = exitCode;
    }

    public int ExitCode { get; }
}
