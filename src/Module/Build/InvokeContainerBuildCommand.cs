using System.Collections;
using System.Management.Automation;
using ContainerPS.Engine.Build.Execution;
using ContainerPS.Engine.Images;
using ContainerPS.Module.Containers;
using ContainerPS.Module.Infrastructure;

namespace ContainerPS.Module.Build;

/// <summary>
/// docker build: builds an image from a Dockerfile and a context directory, and writes the
/// image (pipe it to Start-Container). Each step shows as a Write-Progress activity; step output
/// (RUN's stdout/stderr, "CACHED" lines) goes to the Information stream (tag "build", and
/// "stdout"/"stderr"/"status"). Ctrl+C stops the build and removes whatever it created.
/// </summary>
[Cmdlet(VerbsLifecycle.Invoke, "ContainerBuild", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(Image))]
public sealed class InvokeContainerBuildCommand : ContainerCmdlet
{
    /// <summary>The build context directory (default: the current location).</summary>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("Context", "PSPath")]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = ".";

    /// <summary>The Dockerfile (docker build -f), anywhere; default: Dockerfile in the context.</summary>
    [Parameter]
    [Alias("f", "Dockerfile")]
    [ValidateNotNullOrEmpty]
    public string? File { get; set; }

    /// <summary>Names for the image ("web:1"); several allowed. Without one the image is dangling (use its Id).</summary>
    [Parameter]
    [Alias("t")]
    [ValidateNotNull]
    public string[] Tag { get; set; } = Array.Empty<string>();

    /// <summary>Build arguments for ARG instructions: a hashtable, or "NAME=value" strings.</summary>
    [Parameter]
    [KeyValueTransformation]
    public IDictionary? BuildArg { get; set; }

    /// <summary>Labels set on the image: a hashtable, or "key=value" strings.</summary>
    [Parameter]
    [KeyValueTransformation]
    public IDictionary? Label { get; set; }

    /// <summary>The stage to build (its AS name); stages it does not need are skipped.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Target { get; set; }

    /// <summary>The network of RUN steps (docker build --network): default (the default bridge), none, host, or a network's name.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Network { get; set; }

    /// <summary>Run every step, ignoring the build cache (the results are still cached).</summary>
    [Parameter]
    public SwitchParameter NoCache { get; set; }

    /// <summary>Do not write step output to the Information stream.</summary>
    [Parameter]
    [Alias("q")]
    public SwitchParameter Quiet { get; set; }

    protected override void ProcessRecord()
    {
        var context = SessionState.Path.GetUnresolvedProviderPathFromPSPath(Path);
        var dockerfile = File is null ? null : SessionState.Path.GetUnresolvedProviderPathFromPSPath(File);
        var target = Tag.Length > 0 ? string.Join(", ", Tag) : context;
        if (!ShouldProcess(target, "Build image")) return;

        try
        {
            var image = RunEngine($"Building {context}", engine =>
            {
                var options = new BuildOptions
                {
                    ContextPath = context,
                    DockerfilePath = dockerfile,
                    Tags = Tag.ToList(),
                    BuildArgs = ToDictionary(BuildArg),
                    Labels = ToDictionary(Label),
                    Target = Target,
                    NoCache = NoCache,
                    Network = Network,
                    Output = Quiet ? null : o => engine.WriteInformation(o.Text, "build", o.Stream),
                };
                return new ImageBuilder(Containers).BuildAsync(options, engine.Progress, engine.CancellationToken);
            });
            WriteObject(image);
        }
        catch (Exception e) when (ErrorMapping.IsReportable(e))
        {
            WriteEngineError(e, target);
        }
    }

    private static Dictionary<string, string> ToDictionary(IDictionary? table)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (table is null) return result;
        foreach (DictionaryEntry entry in table)
            result[entry.Key.ToString() ?? ""] = entry.Value?.ToString() ?? "";
        return result;
    }
}
