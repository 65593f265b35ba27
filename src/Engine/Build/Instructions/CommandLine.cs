using ContainerPS.Engine.Build.Parsing;

namespace ContainerPS.Engine.Build.Instructions;

/// <summary>
/// The command of RUN, CMD or ENTRYPOINT. Exec form (JSON array): <see cref="Arguments"/> is the
/// argv and <see cref="PrependShell"/> is false. Shell form: one argument, the command text, run
/// through the stage's SHELL (default `/bin/sh -c`). <see cref="Heredocs"/> are the here-documents
/// the line announced (shell form only).
/// </summary>
public sealed record CommandLine(IReadOnlyList<string> Arguments, bool PrependShell, IReadOnlyList<Heredoc> Heredocs)
{
    public bool IsExecForm => !PrependShell;

    /// <summary>The argv to run: the exec form as is, or shell + command for the shell form.</summary>
    public IReadOnlyList<string> ToArgv(IReadOnlyList<string>? shell)
    {
        if (!PrependShell) return Arguments;
        var sh = shell is { Count: > 0 } ? shell : DefaultShell;
        return sh.Concat(new[] { string.Join(' ', Arguments) }).ToList();
    }

    /// <summary>Docker's default SHELL on Linux.</summary>
    public static IReadOnlyList<string> DefaultShell { get; } = new[] { "/bin/sh", "-c" };
}
