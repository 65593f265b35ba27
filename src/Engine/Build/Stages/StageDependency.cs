namespace ContainerPS.Engine.Build.Stages;

/// <summary>Stage <see cref="From"/> needs stage <see cref="On"/> because of the instruction at <see cref="Line"/> ("FROM", "COPY --from", "RUN --mount from").</summary>
public sealed record StageDependency(int From, int On, string Reason, int Line);
