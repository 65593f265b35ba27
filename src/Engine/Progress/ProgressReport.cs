namespace ContainerPS.Engine.Progress;

/// <summary>
/// One progress update of a long operation (load, save, pull, build). <see cref="Id"/> names
/// the sub-task (a layer digest, a build step); <see cref="ParentId"/> nests it under the
/// whole operation, which the module turns into nested Write-Progress activities.
/// </summary>
public sealed record ProgressReport(
    string Id,
    string Activity,
    string Status,
    long Current = 0,
    long? Total = null,
    bool Completed = false,
    string? ParentId = null)
{
    public int? Percent => Total is > 0 ? (int)Math.Clamp(Current * 100 / Total.Value, 0, 100) : null;
}
