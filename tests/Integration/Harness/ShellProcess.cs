using System.Diagnostics;

namespace ContainerPS.Tests.Integration.Harness;

/// <summary>
/// Runs cpsh (found by <see cref="TestPaths.FindShell"/>) as a child process with stdout,
/// stderr and stdin redirected.
/// </summary>
public static class ShellProcess
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(120);

    /// <summary>
    /// Runs cpsh with <paramref name="arguments"/>. <paramref name="environment"/> entries
    /// are added to the inherited environment (a null value removes a variable). Unless
    /// given, CONTAINERPS_MODULE is set to the built module if there is one and to empty
    /// (no module, no warning) otherwise. Stdin gets <paramref name="standardInput"/> and
    /// is then closed. Throws <see cref="TimeoutException"/> (after killing cpsh) on timeout.
    /// </summary>
    public static ShellResult Run(
        IEnumerable<string> arguments,
        IReadOnlyDictionary<string, string?>? environment = null,
        string? standardInput = null,
        string? workingDirectory = null,
        TimeSpan? timeout = null)
    {
        (string fileName, string[] prefix) = TestPaths.FindShell();
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (string argument in prefix.Concat(arguments))
        {
            start.ArgumentList.Add(argument);
        }

        if (environment is null || !environment.ContainsKey(TestPaths.ModuleVariable))
        {
            start.Environment[TestPaths.ModuleVariable] = TestPaths.FindModuleManifest() ?? string.Empty;
        }

        foreach ((string name, string? value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null)
            {
                start.Environment.Remove(name);
            }
            else
            {
                start.Environment[name] = value;
            }
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start " + fileName);
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        if (standardInput is not null)
        {
            process.StandardInput.Write(standardInput);
        }

        process.StandardInput.Close();
        if (!process.WaitForExit(timeout ?? DefaultTimeout))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            throw new TimeoutException($"cpsh {string.Join(' ', arguments)} did not finish in {timeout ?? DefaultTimeout}.\n--- stdout ---\n{stdout.Result}\n--- stderr ---\n{stderr.Result}");
        }

        process.WaitForExit();
        return new ShellResult(process.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>Runs <c>cpsh -NoProfile -Command &lt;script&gt;</c>.</summary>
    public static ShellResult RunCommand(string script, IReadOnlyDictionary<string, string?>? environment = null) =>
        Run(new[] { "-NoProfile", "-Command", script }, environment);
}
