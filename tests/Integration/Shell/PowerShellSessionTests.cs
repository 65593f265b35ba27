using System.Management.Automation;
using System.Management.Automation.Runspaces;
using ContainerPS.Shell;
using ContainerPS.Tests.Integration.Harness;
using Xunit;

namespace ContainerPS.Tests.Integration.Shell;

/// <summary>The harness itself and the session state it shares with cpsh.</summary>
public sealed class PowerShellSessionTests : IClassFixture<PowerShellSession>
{
    private readonly PowerShellSession _session;

    public PowerShellSessionTests(PowerShellSession session)
    {
        _session = session;
    }

    [Fact]
    public void RunPassesVariablesAndReturnsOutput()
    {
        ScriptResult result = _session.Run("$Name * 2; $Count + 1", new Dictionary<string, object?> { ["Name"] = "ab", ["Count"] = 41 });

        Assert.False(result.HadErrors);
        Assert.Equal(new object?[] { "abab", 42 }, result.Values);
    }

    [Fact]
    public void TerminatingErrorIsCapturedWithPartialOutput()
    {
        ScriptResult result = _session.Run("'kept'; throw 'stop here'; 'lost'");

        Assert.True(result.HadErrors);
        Assert.NotNull(result.TerminatingError);
        Assert.Equal(new object?[] { "kept" }, result.Values);
        Assert.Equal("stop here", result.Errors[^1].Exception.Message);
        Assert.Contains("    + FullyQualifiedErrorId : stop here", result.ErrorText);
        Assert.Throws<InvalidOperationException>(() => result.EnsureSuccess());
    }

    [Fact]
    public void ProgressAndDebugRecordsAreReturned()
    {
        ScriptResult result = _session.Run("""
            Write-Progress -Activity 'Pull' -Status 'layer 1' -PercentComplete 50
            Write-Progress -Activity 'Pull' -Completed
            Write-Debug 'dbg' -Debug
            """).EnsureSuccess();

        Assert.Equal(new[] { ProgressRecordType.Processing, ProgressRecordType.Completed }, result.Progress.Select(p => p.RecordType));
        Assert.Equal(50, result.Progress[0].PercentComplete);
        Assert.Equal("dbg", Assert.Single(result.Debug).Message);
    }

    [Fact]
    public void UtilityCmdletsAreRegisteredOnlyWhereMissing()
    {
        InitialSessionState state = InitialSessionState.CreateDefault2();
        state.Commands.Add(new SessionStateFunctionEntry("Write-Output", "'the real one'"));

        ShellSessionState.AddUtilityCmdlets(state);

        Assert.IsType<SessionStateFunctionEntry>(Assert.Single(state.Commands["Write-Output"]));
        Assert.IsType<SessionStateCmdletEntry>(Assert.Single(state.Commands["Select-Object"]));
        Assert.Single(state.Commands["Where-Object"]);
    }

    [Fact]
    public void EveryUtilityCmdletResolvesInTheSession()
    {
        var names = ShellSessionState.UtilityCmdlets.Select(c => c.Name).ToArray();

        ScriptResult result = _session.Run("$Names | ForEach-Object { (Get-Command $_ -CommandType Cmdlet).Name }", new Dictionary<string, object?> { ["Names"] = names })
            .EnsureSuccess();

        Assert.Equal(names, result.Strings);
    }
}
