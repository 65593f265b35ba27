using ContainerPS.Engine.Errors;

namespace ContainerPS.Engine.Build.Execution;

/// <summary>A RUN step's command exited with a non-zero code: names the step, the Dockerfile line, the command and the code, as Docker does.</summary>
public sealed class BuildStepFailedException : EngineException
{
    public BuildStepFailedException(string step, string file, int line, string command, int exitCode)
        : base(ErrorKind.FailedPrecondition, "BuildStepFailed",
            $"{file}:{line}: {step}: process \"{command}\" did not complete successfully: exit code: {exitCode}", step)
    {
        Step = step;
        File = file;
        Line = line;
        Command = command;
        ExitCode = exitCode;
    }

    public string Step { get; }
    public string File { get; }
    public int Line { get; }
    public string Command { get; }
    public int ExitCode { get; }
}
