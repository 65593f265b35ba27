using System.Management.Automation;

namespace ContainerPS.Module.Containers;

/// <summary>
/// A line of a foreground container's output as Start-Container writes it: a string (so it
/// behaves like a native command's output) with a "Stream" note property, "stdout" or
/// "stderr", so <c>Where-Object Stream -eq stderr</c> can tell the two apart.
/// </summary>
internal static class OutputLine
{
    public static PSObject Create(string text, string stream)
    {
        var line = new PSObject(text);
        line.Properties.Add(new PSNoteProperty("Stream", stream));
        return line;
    }
}
