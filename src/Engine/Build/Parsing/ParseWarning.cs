namespace ContainerPS.Engine.Build.Parsing;

/// <summary>A problem Docker reports as a warning but builds anyway (e.g. an empty continuation line).</summary>
public sealed record ParseWarning(string Message, int Line);
