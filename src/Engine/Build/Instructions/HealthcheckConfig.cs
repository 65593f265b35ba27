namespace ContainerPS.Engine.Build.Instructions;

/// <summary>
/// The image config's Healthcheck: Test is ["NONE"], ["CMD", argv…] or ["CMD-SHELL", command];
/// durations are null when not given (Docker's 0 = inherit the default).
/// </summary>
public sealed record HealthcheckConfig(IReadOnlyList<string> Test, TimeSpan? Interval, TimeSpan? Timeout,
    TimeSpan? StartPeriod, TimeSpan? StartInterval, int? Retries);
