using System.Management.Automation;
using ContainerPS.Engine.Store;
using ContainerPS.Module.Infrastructure;

namespace ContainerPS.Module.Store;

/// <summary>Shows how much disk the store uses per kind of object (docker system df).</summary>
[Cmdlet(VerbsCommon.Get, "ContainerDiskUsage")]
[OutputType(typeof(DiskUsageItem))]
public sealed class GetContainerDiskUsageCommand : EngineCmdlet
{
    protected override void EndProcessing()
    {
        IReadOnlyList<DiskUsageItem> rows = Array.Empty<DiskUsageItem>();
        try
        {
            rows = ImageStore.DiskUsage();
        }
        catch (Exception e) when (ErrorMapping.IsReportable(e))
        {
            ThrowEngineError(e, ImageStore.Layout.Root);
        }
        WriteObject(rows, enumerateCollection: true);
    }
}
