namespace ContainerPS.Engine.Build.Execution;

/// <summary>What docker build is asked for.</summary>
public sealed class BuildOptions
{
    /// <summary>The context directory.</summary>
    public string ContextPath { get; set; } = ".";

    /// <summary>The Dockerfile; anywhere (inside or outside the context). Default: &lt;context&gt;/Dockerfile.</summary>
    public string? DockerfilePath { get; set; }

    public IList<string> Tags { get; set; } = new List<string>();

    public IDictionary<string, string> BuildArgs { get; set; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Labels set on the image (after the Dockerfile's own).</summary>
    public IDictionary<string, string> Labels { get; set; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>The stage to build (its name or index); the last stage when null.</summary>
    public string? Target { get; set; }

    /// <summary>Do not use cached results (they are still recorded for later builds).</summary>
    public bool NoCache { get; set; }

    /// <summary>Reproducible builds: file times after it are clamped in layers, and it is every created time. Null: $SOURCE_DATE_EPOCH if set.</summary>
    public DateTimeOffset? SourceDateEpoch { get; set; }

    /// <summary>Step output and status lines, called from worker threads.</summary>
    public Action<BuildOutput>? Output { get; set; }

    /// <summary>
    /// The network RUN steps get (docker build --network): null or "default" for the default
    /// bridge, "none", "host", or a network's name; a step's own RUN --network wins.
    /// </summary>
    public string? Network { get; set; }

    /// <summary>Build independent stages at the same time.</summary>
    public bool Parallel { get; set; } = true;
}
