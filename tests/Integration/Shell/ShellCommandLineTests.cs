using ContainerPS.Tests.Integration.Harness;
using Xunit;

namespace ContainerPS.Tests.Integration.Shell;

/// <summary>cpsh as a process: -Command, -File, exit codes and how errors are printed.</summary>
public sealed class ShellCommandLineTests : IDisposable
{
    /// <summary>No module: these tests are about the shell, not about ContainerPS.</summary>
    private static readonly Dictionary<string, string?> NoModule = new() { [TestPaths.ModuleVariable] = string.Empty };

    private readonly TempDirectory _temp = new("cpsh-test-");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Command_WritesPipelineOutputToStdout()
    {
        ShellResult result = ShellProcess.RunCommand("1 + 1; 'hello'", NoModule);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(new[] { "2", "hello" }, result.OutputLines);
        Assert.Equal(string.Empty, result.StandardError);
    }

    [Fact]
    public void Command_ShortAliasAndRemainingArgumentsAreJoined()
    {
        ShellResult result = ShellProcess.Run(new[] { "-c", "Write-Output", "a", "b" }, NoModule);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(new[] { "a", "b" }, result.OutputLines);
    }

    [Fact]
    public void Command_FormatTableIsRenderedByOutDefault()
    {
        ShellResult result = ShellProcess.RunCommand(
            "[pscustomobject]@{ Name = 'web'; Port = 8080 }, [pscustomobject]@{ Name = 'db'; Port = 5432 } | Format-Table",
            NoModule);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("\nName Port\n---- ----\nweb  8080\ndb   5432\n\n", result.StandardOutput);
    }

    [Fact]
    public void Command_HostOutputToStdoutWarningsToStderr()
    {
        ShellResult result = ShellProcess.RunCommand("Write-Host 'to host' -ForegroundColor Green; Write-Warning 'careful'; 'out'", NoModule);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(new[] { "to host", "out" }, result.OutputLines);
        Assert.Equal("WARNING: careful\n", result.StandardError);
    }

    [Fact]
    public void File_BindsNamedSwitchAndRemainingArguments()
    {
        string script = _temp.WriteFile("args.ps1", """
            param([string] $Name, [switch] $Flag)
            "Name=$Name"
            "Flag=$Flag"
            "args=$($args -join ',')"
            "root=$(Split-Path -Leaf $PSScriptRoot)"
            """);

        ShellResult result = ShellProcess.Run(new[] { "-NoProfile", "-File", script, "-Name", "web", "-Flag", "x", "y" }, NoModule);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(
            new[] { "Name=web", "Flag=True", "args=x,y", "root=" + Path.GetFileName(_temp.Path) },
            result.OutputLines);
    }

    [Fact]
    public void File_BareScriptPathWithPositionalAndColonArguments()
    {
        string script = _temp.WriteFile("pos.ps1", """
            param([string] $First, [int] $Count)
            "$First x $Count"
            """);

        ShellResult result = ShellProcess.Run(new[] { script, "one", "-Count:3" }, NoModule);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(new[] { "one x 3" }, result.OutputLines);
    }

    [Fact]
    public void Command_ExitCodeIsTheProcessExitCode()
    {
        ShellResult result = ShellProcess.RunCommand("'before'; exit 3; 'after'", NoModule);

        Assert.Equal(3, result.ExitCode);
        Assert.Equal(new[] { "before" }, result.OutputLines);
    }

    [Fact]
    public void File_ExitCodeIsTheProcessExitCode()
    {
        string script = _temp.WriteFile("exit.ps1", "function Quit { exit 3 }\n'before'\nQuit\n'after'\n");

        ShellResult result = ShellProcess.Run(new[] { "-File", script }, NoModule);

        Assert.Equal(3, result.ExitCode);
        Assert.Equal(new[] { "before" }, result.OutputLines);
    }

    [Fact]
    public void FailingCommand_ExitsOneAndPrintsTheErrorLikeNormalView()
    {
        string missing = Path.Combine(_temp.Path, "missing");

        ShellResult result = ShellProcess.RunCommand($"Get-ChildItem '{missing}'", NoModule);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(string.Empty, result.StandardOutput);
        string[] lines = result.StandardError.TrimEnd('\n').Split('\n');
        Assert.Equal($"Get-ChildItem : Cannot find path '{missing}' because it does not exist.", lines[0]);
        Assert.Equal("At line:1 char:1", lines[1]);
        Assert.Equal($"+ Get-ChildItem '{missing}'", lines[2]);
        Assert.StartsWith("+ ~~~~", lines[3]);
        Assert.Equal($"    + CategoryInfo          : ObjectNotFound: ({missing}:String) [Get-ChildItem], ItemNotFoundException", lines[4]);
        Assert.StartsWith("    + FullyQualifiedErrorId : PathNotFound,", lines[5]);
    }

    [Fact]
    public void NonTerminatingErrorFollowedBySuccess_ExitsZero()
    {
        ShellResult result = ShellProcess.RunCommand("Write-Error 'first' -ErrorId Mine -Category InvalidData; 'then fine'", NoModule);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(new[] { "then fine" }, result.OutputLines);
        Assert.Contains("Write-Error : first", result.StandardError);
        Assert.Contains("    + CategoryInfo          : InvalidData: (:) [Write-Error], WriteErrorException", result.StandardError);
        Assert.Contains("    + FullyQualifiedErrorId : Mine,", result.StandardError);
    }

    [Fact]
    public void TerminatingErrorInFile_ExitsOneWithFilePosition()
    {
        string script = _temp.WriteFile("throw.ps1", "'start'\nthrow 'it broke'\n'never'\n");

        ShellResult result = ShellProcess.Run(new[] { script }, NoModule);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(new[] { "start" }, result.OutputLines);
        Assert.StartsWith("it broke\nAt " + script + ":2 char:1\n+ throw 'it broke'\n", result.StandardError);
        Assert.Contains("    + CategoryInfo          : OperationStopped: (it broke:String) [], RuntimeException", result.StandardError);
        Assert.Contains("    + FullyQualifiedErrorId : it broke", result.StandardError);
    }

    [Fact]
    public void ParseError_ExitsOneWithPosition()
    {
        ShellResult result = ShellProcess.RunCommand("1 +", NoModule);

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("At line:1 char:4\n+ 1 +\n+    ~\nYou must provide a value expression", result.StandardError);
        Assert.Contains("    + FullyQualifiedErrorId : ExpectedValueExpression", result.StandardError);
    }

    [Fact]
    public void MissingScriptFile_Exits64()
    {
        ShellResult result = ShellProcess.Run(new[] { "-File", Path.Combine(_temp.Path, "nope.ps1") }, NoModule);

        Assert.Equal(64, result.ExitCode);
        Assert.Contains("is not recognized as the name of a script file", result.StandardError);
    }

    [Fact]
    public void ScriptFromRedirectedStdin()
    {
        ShellResult result = ShellProcess.Run(Array.Empty<string>(), NoModule, standardInput: "$x = 20\nif ($x -gt 10) {\n  'big'\n}\n");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(new[] { "big" }, result.OutputLines);
    }

    [Fact]
    public void VersionAndUnknownParameter()
    {
        ShellResult version = ShellProcess.Run(new[] { "-Version" }, NoModule);
        ShellResult unknown = ShellProcess.Run(new[] { "-Bogus" }, NoModule);

        Assert.Equal(0, version.ExitCode);
        Assert.Matches(@"^cpsh \S+ \(PowerShell 7\.\d+\.\d+\)\n$", version.StandardOutput);
        Assert.Equal(64, unknown.ExitCode);
        Assert.Contains("Unknown parameter '-Bogus'", unknown.StandardError);
    }
}
