using Arch = System.Runtime.InteropServices.Architecture;
using System.Runtime.InteropServices;

namespace ContainerPS.Engine.Build.Stages;

/// <summary>An OS/architecture[/variant] pair, as in `--platform=linux/arm64/v8`.</summary>
public sealed record BuildPlatform(string OS, string Architecture, string? Variant = null)
{
    /// <summary>The machine this process runs on, in OCI names (amd64, arm64, ...).</summary>
    public static BuildPlatform Host { get; } = new("linux", RuntimeInformation.OSArchitecture switch
    {
        Arch.X64 => "amd64",
        Arch.Arm64 => "arm64",
        Arch.Arm => "arm",
        Arch.X86 => "386",
        Arch.S390x => "s390x",
        Arch.Ppc64le => "ppc64le",
        _ => RuntimeInformation.OSArchitecture.ToString().ToLowerInvariant(),
    }, RuntimeInformation.OSArchitecture == Arch.Arm ? "v7" : null);

    /// <summary>Parses "os/arch[/variant]".</summary>
    /// <exception cref="FormatException">not of that form.</exception>
    public static BuildPlatform Parse(string text)
    {
        var parts = text.Split('/');
        if (parts.Length is < 2 or > 3 || parts.Any(p => p.Length == 0))
            throw new FormatException($"\"{text}\": unknown platform: expected os/arch[/variant]");
        return new BuildPlatform(parts[0].ToLowerInvariant(), parts[1].ToLowerInvariant(), parts.Length == 3 ? parts[2].ToLowerInvariant() : null);
    }

    public override string ToString() => Variant is null ? $"{OS}/{Architecture}" : $"{OS}/{Architecture}/{Variant}";
}
