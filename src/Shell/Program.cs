using System.Reflection;
using ContainerPS.Shell.Hosting;

namespace ContainerPS.Shell;

/// <summary>Entry point of cpsh, the PowerShell host bundled with ContainerPS.</summary>
internal static class Program
{
    private const int UsageExitCode = 64;

    public static int Main(string[] args)
    {
        ShellOptions? options = ShellOptions.Parse(args, out string? error);
        if (options is null)
        {
            Console.Error.WriteLine("cpsh: " + error);
            Console.Error.WriteLine(ShellOptions.Usage);
            return UsageExitCode;
        }

        switch (options.Mode)
        {
            case ShellMode.Help:
                Console.WriteLine(ShellOptions.Usage);
                return 0;
            case ShellMode.Version:
                string version = typeof(Program).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion?.Split('+')[0] ?? "0.0.0";
                Console.WriteLine($"cpsh {version} (PowerShell {ShellHost.PowerShellVersion})");
                return 0;
        }

        using var runner = new ShellRunner(interactive: options.Mode == ShellMode.Interactive);
        runner.ImportDefaultModule();
        int exitCode = options.Mode switch
        {
            ShellMode.Command => runner.RunCommand(options.Command),
            ShellMode.File => runner.RunFile(options.File, options.FileArguments),
            ShellMode.StandardInput => runner.RunCommand(Console.In.ReadToEnd()),
            _ => new InteractiveLoop(runner).Run(),
        };
        Console.Out.Flush();
        return exitCode;
    }
}
