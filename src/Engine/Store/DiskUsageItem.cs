namespace ContainerPS.Engine.Store;

/// <summary>One row of `docker system df`.</summary>
public sealed class DiskUsageItem
{
    public required string Type { get; init; }
    public int Total { get; init; }
    public int Active { get; init; }
    public long Size { get; init; }
    public long Reclaimable { get; init; }
    public double ReclaimablePercent => Size == 0 ? 0 : Math.Round(100.0 * Reclaimable / Size);
}
