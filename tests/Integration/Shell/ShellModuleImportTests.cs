using ContainerPS.Tests.Integration.Harness;
using Xunit;

namespace ContainerPS.Tests.Integration.Shell;

/// <summary>cpsh pre-imports the module named by CONTAINERPS_MODULE (tested with a tiny stand-in module).</summary>
public sealed class ShellModuleImportTests : IDisposable
{
    private readonly TempDirectory _temp = new("cpsh-module-");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void ModuleFromEnvironmentIsImportedBeforeTheCommand()
    {
        string manifest = WriteModule();

        ShellResult result = ShellProcess.RunCommand(
            "Get-Greeting -Name cpsh; (Get-Module TestGreeting).Version.ToString()",
            new Dictionary<string, string?> { [TestPaths.ModuleVariable] = manifest });

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(new[] { "Hello, cpsh", "1.2.3" }, result.OutputLines);
        Assert.Equal(string.Empty, result.StandardError);
    }

    [Fact]
    public void ModuleFormatViewAppliesToOutDefault()
    {
        string manifest = WriteModule();

        ShellResult result = ShellProcess.RunCommand(
            "Get-Greeting -Name a -AsObject",
            new Dictionary<string, string?> { [TestPaths.ModuleVariable] = manifest });

        Assert.True(result.ExitCode == 0, result.ToString());
        // The module's table view shows only the GREETING column (the object also has Secret).
        Assert.Equal(new[] { string.Empty, "GREETING", "--------", "Hello, a" }, result.OutputLines);
    }

    [Fact]
    public void MissingModuleWarnsAndContinues()
    {
        string missing = Path.Combine(_temp.Path, "Nope", "Nope.psd1");

        ShellResult result = ShellProcess.RunCommand(
            "'still works'",
            new Dictionary<string, string?> { [TestPaths.ModuleVariable] = missing });

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(new[] { "still works" }, result.OutputLines);
        Assert.StartsWith("WARNING: The ContainerPS module was not found at '" + missing + "'", result.StandardError);
    }

    [Fact]
    public void ModuleImportIsVisibleToPowerShellSessionToo()
    {
        string manifest = WriteModule();
        using var session = PowerShellSession.WithModule(manifest);

        ScriptResult result = session.Run("Get-Greeting -Name session").EnsureSuccess();

        Assert.Equal(new[] { "Hello, session" }, result.Strings);
    }

    private string WriteModule()
    {
        _temp.WriteFile("TestGreeting/TestGreeting.psm1", """
            function Get-Greeting {
                param([string] $Name, [switch] $AsObject)
                if ($AsObject) {
                    [pscustomobject]@{ PSTypeName = 'Test.Greeting'; Greeting = "Hello, $Name"; Secret = 42 }
                } else {
                    "Hello, $Name"
                }
            }
            Export-ModuleMember -Function Get-Greeting
            """);
        _temp.WriteFile("TestGreeting/TestGreeting.format.ps1xml", """
            <?xml version="1.0" encoding="utf-8"?>
            <Configuration>
              <ViewDefinitions>
                <View>
                  <Name>Test.Greeting</Name>
                  <ViewSelectedBy><TypeName>Test.Greeting</TypeName></ViewSelectedBy>
                  <TableControl>
                    <TableHeaders><TableColumnHeader><Label>GREETING</Label></TableColumnHeader></TableHeaders>
                    <TableRowEntries><TableRowEntry><TableColumnItems>
                      <TableColumnItem><PropertyName>Greeting</PropertyName></TableColumnItem>
                    </TableColumnItems></TableRowEntry></TableRowEntries>
                  </TableControl>
                </View>
              </ViewDefinitions>
            </Configuration>
            """);
        return _temp.WriteFile("TestGreeting/TestGreeting.psd1", """
            @{
                RootModule = 'TestGreeting.psm1'
                ModuleVersion = '1.2.3'
                GUID = '6f1d3c1e-3f43-4a55-9a3c-2d7e1f7c9b10'
                FunctionsToExport = @('Get-Greeting')
                CmdletsToExport = @()
                AliasesToExport = @()
                FormatsToProcess = @('TestGreeting.format.ps1xml')
            }
            """);
    }
}
