using System.Management.Automation;
using ContainerPS.Engine.Build.Stages;
using ContainerPS.Module.Infrastructure;

namespace ContainerPS.Module.Build;

/// <summary>
/// Parses Dockerfiles and writes their instructions as objects (instruction, flags, arguments
/// or JSON-form command, heredocs, stage, lines, original text), so scripts can lint and inspect
/// them with Where-Object. A file that does not parse gives a ParserError ErrorRecord naming the
/// file and line; the other files go on.
/// </summary>
[Cmdlet(VerbsData.ConvertFrom, "Dockerfile", DefaultParameterSetName = PathSet)]
[OutputType(typeof(DockerfileInstruction))]
public sealed class ConvertFromDockerfileCommand : EngineCmdlet
{
    private const string PathSet = "Path";
    private const string LiteralPathSet = "LiteralPath";
    private const string ContentSet = "Content";

    /// <summary>Dockerfiles to parse; wildcards allowed.</summary>
    [Parameter(ParameterSetName = PathSet, Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[] Path { get; set; } = Array.Empty<string>();

    /// <summary>Dockerfiles taken literally (no wildcards); binds from Get-ChildItem output.</summary>
    [Parameter(ParameterSetName = LiteralPathSet, Mandatory = true, ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath", "LP")]
    [ValidateNotNullOrEmpty]
    public string[] LiteralPath { get; set; } = Array.Empty<string>();

    /// <summary>Dockerfile text to parse instead of a file (errors then name "Dockerfile").</summary>
    [Parameter(ParameterSetName = ContentSet, Mandatory = true)]
    [AllowEmptyString]
    public string Content { get; set; } = "";

    protected override void ProcessRecord()
    {
        if (ParameterSetName == ContentSet)
        {
            Write(Content, "Dockerfile", "Dockerfile");
            return;
        }
        var literal = ParameterSetName == LiteralPathSet;
        foreach (var path in literal ? LiteralPath : Path)
        {
            foreach (var file in ProviderPaths.ResolveExistingFiles(this, path, literal))
            {
                string text;
                try
                {
                    text = File.ReadAllText(file);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    WriteEngineError(e, file);
                    continue;
                }
                Write(text, file, file);
            }
        }
    }

    private void Write(string text, string name, object target)
    {
        if (!TryEngine(() => Dockerfile.Parse(text, name), target, out var dockerfile)) return;
        foreach (var instruction in dockerfile.Describe()) WriteObject(instruction);
    }
}
