namespace ContainerPS.Engine.Build.Parsing;

/// <summary>A parser directive at the top of a Dockerfile (`# escape=`` ` ``, `# syntax=…`, `# check=…`).</summary>
public sealed record ParserDirective(string Name, string Value, int Line);
