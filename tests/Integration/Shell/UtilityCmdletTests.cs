using System.Management.Automation;
using ContainerPS.Shell.Commands;
using ContainerPS.Tests.Integration.Harness;
using Xunit;

namespace ContainerPS.Tests.Integration.Shell;

/// <summary>cpsh's stand-ins for Utility cmdlets, in process (the session cpsh and the tests share).</summary>
public sealed class UtilityCmdletTests : IClassFixture<PowerShellSession>
{
    private readonly PowerShellSession _session;

    public UtilityCmdletTests(PowerShellSession session)
    {
        _session = session;
    }

    [Fact]
    public void OutString_FormatsATableWithTheRealFormattingEngine()
    {
        ScriptResult result = _session.Run("[pscustomobject]@{ Name = 'web'; Port = 8080 } | Out-String").EnsureSuccess();

        Assert.Equal(new[] { "\nName Port\n---- ----\nweb  8080\n\n" }, result.Strings);
    }

    [Fact]
    public void FormatTableWithPropertiesAndFormatList()
    {
        ScriptResult table = _session.Run("""
            [pscustomobject]@{ Name = 'web'; Port = 8080; State = 'running' } |
                Format-Table Name, @{ Label = 'PORT'; Expression = { $_.Port + 1 } } | Out-String
            """).EnsureSuccess();
        ScriptResult list = _session.Run("[pscustomobject]@{ Name = 'web'; Port = 8080 } | Format-List | Out-String -Stream").EnsureSuccess();

        Assert.Equal("\nName PORT\n---- ----\nweb  8081\n\n", table.Strings.Single());
        Assert.Equal(new[] { string.Empty, "Name : web", "Port : 8080", string.Empty }, list.Strings);
    }

    [Fact]
    public void OutString_NoNewlineAndWidth()
    {
        ScriptResult result = _session.Run("""
            'a', 'b' | Out-String -NoNewline
            [pscustomobject]@{ Name = 'x' * 30; N = 1 } | Out-String -Width 20 -Stream
            """).EnsureSuccess();

        Assert.Equal("ab", result.Strings[0]);
        // The engine drops the column that does not fit and truncates the other with an ellipsis.
        Assert.Equal(new[] { string.Empty, "Name" }, result.Strings.Skip(1).Take(2));
        Assert.Equal(new string('x', 19) + "\u2026", result.Strings[4]);
    }

    [Fact]
    public void SelectObject_PropertiesCalculatedAndExpand()
    {
        ScriptResult result = _session.Run("""
            $o = [pscustomobject]@{ Name = 'web'; Port = 8080; Tags = 'a', 'b' }
            $o | Select-Object Name, @{ n = 'Double'; e = { $_.Port * 2 } }, Missing
            $o | Select-Object -ExpandProperty Tags
            $o | Select-Object -Property N* -ExcludeProperty Tags
            """).EnsureSuccess();

        PSObject selected = result.Output[0];
        Assert.Equal(new[] { "Name", "Double", "Missing" }, selected.Properties.Select(p => p.Name));
        Assert.Equal("web", selected.Properties["Name"].Value);
        Assert.Equal(16160, selected.Properties["Double"].Value);
        Assert.Null(selected.Properties["Missing"].Value);
        Assert.StartsWith("Selected.", selected.TypeNames[0]);
        Assert.Equal(new object?[] { "a", "b" }, result.Values.Skip(1).Take(2));
        Assert.Equal(new[] { "Name" }, result.Output[3].Properties.Select(p => p.Name));
    }

    [Fact]
    public void SelectObject_FirstLastSkipUnique()
    {
        ScriptResult result = _session.Run("""
            (1..10 | Select-Object -First 2) -join ','
            (1..10 | Select-Object -Last 3) -join ','
            (1..10 | Select-Object -Skip 8) -join ','
            (1..10 | Select-Object -Skip 1 -First 2) -join ','
            (1, 2, 2, 3, 1 | Select-Object -Unique) -join ','
            """).EnsureSuccess();

        Assert.Equal(new[] { "1,2", "8,9,10", "9,10", "2,3", "1,2,3" }, result.Strings);
    }

    [Fact]
    public void SortObject_ByValuePropertyDescendingAndUnique()
    {
        ScriptResult result = _session.Run("""
            (3, 1, 2 | Sort-Object) -join ','
            (3, 1, 2 | Sort-Object -Descending) -join ','
            ('b', 'a', 'B', 'c' | Sort-Object -Unique) -join ','
            ([pscustomobject]@{ N = 'x'; V = 2 }, [pscustomobject]@{ N = 'y'; V = 1 } | Sort-Object V | ForEach-Object N) -join ','
            ([pscustomobject]@{ N = 'x'; V = 1 }, [pscustomobject]@{ N = 'y'; V = 1 }, [pscustomobject]@{ N = 'z'; V = 2 } |
                Sort-Object @{ e = 'V'; Descending = $true }, N | ForEach-Object N) -join ','
            """).EnsureSuccess();

        Assert.Equal(new[] { "1,2,3", "3,2,1", "a,b,c", "y,x", "z,x,y" }, result.Strings);
    }

    [Fact]
    public void MeasureObject_CountAndStatistics()
    {
        ScriptResult result = _session.Run("""
            (1..5 | Measure-Object).Count
            1..5 | Measure-Object -Sum -Average -Maximum -Minimum
            [pscustomobject]@{ Size = 10 }, [pscustomobject]@{ Size = 30 } | Measure-Object -Property Size -Sum
            """).EnsureSuccess();

        Assert.Equal(5, result.Values[0]);
        var stats = Assert.IsType<GenericMeasureInfo>(result.Values[1]);
        Assert.Equal((5, 15.0, 3.0, 5.0, 1.0), (stats.Count, stats.Sum!.Value, stats.Average!.Value, stats.Maximum!.Value, stats.Minimum!.Value));
        var sizes = Assert.IsType<GenericMeasureInfo>(result.Values[2]);
        Assert.Equal((2, 40.0, "Size"), (sizes.Count, sizes.Sum!.Value, sizes.Property));
        Assert.Null(sizes.Average);
    }

    [Fact]
    public void ConvertToJson_CompressIndentAndDepth()
    {
        ScriptResult result = _session.Run("""
            [pscustomobject]@{ Name = 'web'; Port = 8080; On = $true; Tags = @('a', 'b'); None = $null } | ConvertTo-Json -Compress
            [ordered]@{ a = 1; b = 'x' } | ConvertTo-Json
            1, 2 | ConvertTo-Json -Compress
            ConvertTo-Json -InputObject @(1) -Compress
            [ordered]@{ a = [ordered]@{ b = [ordered]@{ c = [ordered]@{ d = 1 } } } } | ConvertTo-Json -Compress
            """);

        Assert.Equal("{\"Name\":\"web\",\"Port\":8080,\"On\":true,\"Tags\":[\"a\",\"b\"],\"None\":null}", result.Strings[0]);
        Assert.Equal("{\n  \"a\": 1,\n  \"b\": \"x\"\n}", result.Strings[1].Replace("\r\n", "\n", StringComparison.Ordinal));
        Assert.Equal("[1,2]", result.Strings[2]);
        Assert.Equal("[1]", result.Strings[3]);
        Assert.Equal("{\"a\":{\"b\":{\"c\":\"System.Collections.Specialized.OrderedDictionary\"}}}", result.Strings[4]);
        Assert.Equal("Resulting JSON is truncated as serialization has exceeded the set depth of 2.", Assert.Single(result.Warnings).Message);
    }

    [Fact]
    public void ConvertFromJson_ObjectsArraysAndRoundTrip()
    {
        ScriptResult result = _session.Run("""
            $o = '{"name":"web","ports":[80,443],"nested":{"ok":true},"big":12345678901,"at":"2024-01-02T03:04:05Z"}' | ConvertFrom-Json
            $o.name; $o.ports.Count; $o.nested.ok; $o.big.GetType().Name; $o.at.GetType().Name
            ('[1,2,3]' | ConvertFrom-Json | Measure-Object).Count
            ('{"a":1}' | ConvertFrom-Json -AsHashtable)['a']
            ([pscustomobject]@{ x = 1; y = 'two' } | ConvertTo-Json | ConvertFrom-Json).y
            """).EnsureSuccess();

        Assert.Equal(new object?[] { "web", 2, true, "Int64", "DateTime", 3, 1, "two" }, result.Values);
    }

    [Fact]
    public void ConvertFromJson_InvalidJsonIsAStatementTerminatingParserError()
    {
        ScriptResult result = _session.Run("'{ nope' | ConvertFrom-Json; 'next statement runs'");

        Assert.True(result.HadErrors);
        Assert.Equal(ErrorCategory.ParserError, Assert.Single(result.Errors).CategoryInfo.Category);
        Assert.StartsWith("Conversion from JSON failed with error:", result.Errors[0].Exception.Message);
        Assert.Equal(new object?[] { "next statement runs" }, result.Values);
    }

    [Fact]
    public void WriteCmdlets_GoToTheirStreams()
    {
        ScriptResult result = _session.Run("""
            Write-Output 1, 2
            Write-Output -NoEnumerate @(3, 4) | ForEach-Object { $_.GetType().Name }
            Write-Host 'shown' -NoNewline
            Write-Information 'info' -Tags Mine
            Write-Warning 'warned'
            Write-Verbose 'quiet'
            Write-Verbose 'loud' -Verbose
            Write-Error -Message 'bad' -Category ObjectNotFound -ErrorId 'Thing.NotFound' -TargetObject 'thing1'
            """);

        Assert.Equal(new object?[] { 1, 2, "Int32", "Int32" }, result.Values);
        Assert.Equal(new[] { "shown", "info" }, result.Information.Select(i => i.MessageData.ToString()));
        Assert.Contains("PSHOST", result.Information[0].Tags);
        Assert.Equal("warned", Assert.Single(result.Warnings).Message);
        Assert.Equal("loud", Assert.Single(result.Verbose).Message);
        ErrorRecord error = Assert.Single(result.Errors);
        Assert.Equal("bad", error.Exception.Message);
        Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
        Assert.StartsWith("Thing.NotFound,", error.FullyQualifiedErrorId);
        Assert.Equal("thing1", error.TargetObject);
        Assert.True(result.HadErrors);
    }

    [Fact]
    public void GetMemberNewObjectAndGetDate()
    {
        ScriptResult result = _session.Run("""
            ([pscustomobject]@{ b = 1; a = 2 } | Get-Member -MemberType NoteProperty).Name -join ','
            (New-Object System.Text.StringBuilder -ArgumentList 'abc').Append('d').ToString()
            (New-Object System.Collections.Generic.List[string]).GetType().Name
            (New-Object PSObject -Property @{ z = 26 }).z
            Get-Date -Date '2024-03-04T05:06:07' -Format 'yyyy-MM-dd HH:mm'
            (Get-Date -UnixTimeSeconds 0 -AsUTC).Year
            """).EnsureSuccess();

        Assert.Equal(new object?[] { "a,b", "abcd", "List`1", 26, "2024-03-04 05:06", 1970 }, result.Values);
    }

    [Fact]
    public void StartSleepWaitsRoughlyAsLongAsAsked()
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        _session.Run("Start-Sleep -Milliseconds 200").EnsureSuccess();

        Assert.InRange(watch.ElapsedMilliseconds, 180, 10_000);
    }
}
