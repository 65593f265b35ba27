using System.Reflection;
using ContainerPS.Tests.Unit.Support;
using Xunit.Sdk;

namespace ContainerPS.Tests.Unit.OciRuntimes;

/// <summary>
/// One theory row per OCI runtime: "builtin" always runs; "runc" and "crun" run where the
/// binary is installed (scripts/setup.sh installs both) and are reported as skipped, with the
/// reason, where it is not.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true)]
public sealed class InstalledRuntimeAttribute : DataAttribute
{
    public InstalledRuntimeAttribute(string runtime)
    {
        Runtime = runtime;
        if (runtime != "builtin" && Tool.Find(runtime) is null)
            Skip = $"{runtime} is not installed (apt-get install {runtime}, or scripts/setup.sh)";
    }

    public string Runtime { get; }

    /// <summary>
    /// A ContainerPS bug this row is known to hit: the row is skipped with this as the reason
    /// (where the runtime is installed), so the suite stays green and the bug stays visible.
    /// Remove it with the fix; the row then has to pass.
    /// </summary>
    public string? KnownBug
    {
        get => _knownBug;
        set
        {
            _knownBug = value;
            if (value is not null && Skip is null) Skip = "known bug: " + value;
        }
    }

    private string? _knownBug;

    public override IEnumerable<object[]> GetData(MethodInfo testMethod) => new[] { new object[] { Runtime } };
}
