using System.Collections;
using System.Management.Automation;
using ContainerPS.Engine.Volumes;
using ContainerPS.Module.Containers;

namespace ContainerPS.Module.Volumes;

/// <summary>
/// Creates a volume (docker volume create): a directory under the store that containers mount
/// with -Volume name:/path and that outlives them. Creating an existing name returns it, as
/// Docker does. The local driver's options (-DriverOption type=tmpfs,device=tmpfs,o=size=10m or
/// type=none,o=bind,device=/srv/data) make the volume a mount of that kind.
/// </summary>
[Cmdlet(VerbsCommon.New, "ContainerVolume", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(Volume))]
public sealed class NewContainerVolumeCommand : ContainerCmdlet
{
    /// <summary>The volume's name; a random 64-hex name when omitted.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string[]? Name { get; set; }

    /// <summary>Only "local".</summary>
    [Parameter]
    [ValidateSet("local")]
    public string Driver { get; set; } = VolumeStore.LocalDriver;

    /// <summary>Local driver options: a hashtable or "key=value" strings (type, device, o).</summary>
    [Parameter]
    [Alias("o", "Opt")]
    [KeyValueTransformation]
    public IDictionary? DriverOption { get; set; }

    /// <summary>Labels: a hashtable or "key=value" strings.</summary>
    [Parameter]
    [KeyValueTransformation]
    public IDictionary? Label { get; set; }

    protected override void ProcessRecord()
    {
        foreach (var name in Name is { Length: > 0 } ? Name.Select(n => (string?)n) : new string?[] { null })
        {
            if (!ShouldProcess(name ?? "(random name)", "Create volume")) continue;
            if (TryEngine(() => Containers.Volumes.Create(name, Strings(Label), Strings(DriverOption), Driver), name, out var volume))
                WriteObject(volume);
        }
    }

    internal static Dictionary<string, string>? Strings(IDictionary? table)
    {
        if (table is null) return null;
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (DictionaryEntry e in table)
            result[LanguagePrimitives.ConvertTo<string>(e.Key)] = e.Value is null ? "" : LanguagePrimitives.ConvertTo<string>(e.Value is PSObject p ? p.BaseObject : e.Value);
        return result;
    }
}
