namespace ContainerPS.Engine.Build.Execution;

/// <summary>
/// A step as the build reports it: "[stage 2/5] RUN make" style name, the Dockerfile and line it
/// came from (for errors), and the history text (created_by) it records.
/// </summary>
public sealed record StepInfo(string Name, string File, int Line, string CreatedBy);
