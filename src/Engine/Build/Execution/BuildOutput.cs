namespace ContainerPS.Engine.Build.Execution;

/// <summary>A line a build step printed (RUN output) or a status line of the build ("CACHED", step headers).</summary>
public sealed record BuildOutput(string Step, string Stream, string Text);
