using System.Globalization;
using System.Management.Automation.Host;
using System.Reflection;

namespace ContainerPS.Shell.Hosting;

/// <summary>
/// The PSHost of cpsh. Records the code passed to <c>exit</c> (SetShouldExit) so the
/// process can return it.
/// </summary>
internal sealed class ShellHost : PSHost
{
    private readonly ShellHostUserInterface _ui = new();

    public override string Name => "cpsh";

    public override Version Version { get; } = typeof(ShellHost).Assembly.GetName().Version ?? new Version(0, 1);

    public override Guid InstanceId { get; } = Guid.NewGuid();

    public override PSHostUserInterface UI => _ui;

    public ShellHostUserInterface ShellUI => _ui;

    public override CultureInfo CurrentCulture => CultureInfo.CurrentCulture;

    public override CultureInfo CurrentUICulture => CultureInfo.CurrentUICulture;

    /// <summary>True once a script ran <c>exit</c>.</summary>
    public bool ShouldExit { get; private set; }

    public int ExitCode { get; private set; }

    /// <summary>Informational version of the SMA assembly, e.g. "7.6.9".</summary>
    public static string PowerShellVersion
    {
        get
        {
            string? version = typeof(PSHost).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
            return version?.Split(' ', '+')[0] ?? "unknown";
        }
    }

    public override void SetShouldExit(int exitCode)
    {
        ShouldExit = true;
        ExitCode = exitCode;
    }

    public override void EnterNestedPrompt() =>
        throw new NotSupportedException("cpsh does not support nested prompts.");

    public override void ExitNestedPrompt() =>
        throw new NotSupportedException("cpsh does not support nested prompts.");

    public override void NotifyBeginApplication()
    {
    }

    public override void NotifyEndApplication()
    {
    }
}
