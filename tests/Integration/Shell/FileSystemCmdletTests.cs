using System.Management.Automation;
using ContainerPS.Tests.Integration.Harness;
using Xunit;

namespace ContainerPS.Tests.Integration.Shell;

/// <summary>cpsh's stand-ins for Management cmdlets (paths and files), in a throw-away directory.</summary>
public sealed class FileSystemCmdletTests : IDisposable
{
    private readonly TempDirectory _temp = new("cpsh-fs-");
    private readonly PowerShellSession _session = new();

    public FileSystemCmdletTests()
    {
        _session.SetLocation(_temp.Path);
    }

    public void Dispose()
    {
        _session.Dispose();
        _temp.Dispose();
    }

    [Fact]
    public void NewItemTestPathAndGetChildItem()
    {
        ScriptResult result = _session.Run("""
            $null = New-Item -ItemType Directory -Path data
            $null = New-Item -Path data/a.txt -Value 'A'
            $null = New-Item -Path data -Name b.log -ItemType File
            Test-Path data; Test-Path data -PathType Container; Test-Path data/a.txt -PathType Container; Test-Path nope
            (Get-ChildItem data | ForEach-Object Name) -join ','
            (Get-ChildItem data -Filter *.txt).Name
            (Get-ChildItem -Recurse -File -Name | Sort-Object) -join ','
            (Get-ChildItem . -Directory).Name
            """).EnsureSuccess();

        Assert.Equal(new object?[] { true, true, false, false, "a.txt,b.log", "a.txt", "data/a.txt,data/b.log", "data" }, result.Values);
    }

    [Fact]
    public void SetContentGetContentAndRedirection()
    {
        ScriptResult result = _session.Run("""
            Set-Content -Path lines.txt -Value 'one', 'two', 'three'
            (Get-Content lines.txt) -join '|'
            Get-Content lines.txt -TotalCount 1
            Get-Content lines.txt -Tail 1
            'first' > out.txt
            'second' >> out.txt
            [pscustomobject]@{ K = 'v' } | Out-File table.txt
            Get-Content out.txt -Raw
            Get-Content table.txt -Raw
            """).EnsureSuccess();

        Assert.Equal(new object?[] { "one|two|three", "one", "three", "first\nsecond\n", "\nK\n-\nv\n\n" }, result.Values);
        Assert.Equal("one\ntwo\nthree\n", File.ReadAllText(Path.Combine(_temp.Path, "lines.txt")));
    }

    [Fact]
    public void RemoveItemRefusesNonEmptyDirectoryWithoutRecurse()
    {
        Directory.CreateDirectory(Path.Combine(_temp.Path, "tree", "sub"));
        File.WriteAllText(Path.Combine(_temp.Path, "tree", "sub", "f"), "x");

        ScriptResult refused = _session.Run("Remove-Item tree");
        ScriptResult removed = _session.Run("Remove-Item tree -Recurse; Test-Path tree").EnsureSuccess();
        ScriptResult missing = _session.Run("Remove-Item tree");

        Assert.Equal("DirectoryNotEmpty", Assert.Single(refused.Errors).FullyQualifiedErrorId.Split(',')[0]);
        Assert.True(Directory.Exists(Path.Combine(_temp.Path, "tree")) == false);
        Assert.Equal(new object?[] { false }, removed.Values);
        Assert.Equal(ErrorCategory.ObjectNotFound, Assert.Single(missing.Errors).CategoryInfo.Category);
    }

    [Fact]
    public void RemoveItemTakesPipelineInputFromGetChildItem()
    {
        File.WriteAllText(Path.Combine(_temp.Path, "x.tmp"), "x");
        File.WriteAllText(Path.Combine(_temp.Path, "y.tmp"), "y");
        File.WriteAllText(Path.Combine(_temp.Path, "keep.txt"), "k");

        ScriptResult result = _session.Run("Get-ChildItem -Filter *.tmp | Remove-Item; (Get-ChildItem).Name").EnsureSuccess();

        Assert.Equal(new object?[] { "keep.txt" }, result.Values);
    }

    [Fact]
    public void JoinPathAndSplitPath()
    {
        ScriptResult result = _session.Run("""
            Join-Path /a b
            Join-Path /a b c d
            Split-Path /a/b/c.txt
            Split-Path /a/b/c.txt -Leaf
            Split-Path /a/b/c.txt -LeafBase
            Split-Path /a/b/c.txt -Extension
            Split-Path /a/b -IsAbsolute
            Split-Path a/b -IsAbsolute
            """).EnsureSuccess();

        Assert.Equal(new object?[] { "/a/b", "/a/b/c/d", "/a/b", "c.txt", "c", ".txt", true, false }, result.Values);
    }

    [Fact]
    public void SetLocationAndGetLocation()
    {
        Directory.CreateDirectory(Path.Combine(_temp.Path, "inner"));

        ScriptResult result = _session.Run("Set-Location inner; (Get-Location).Path; Set-Location ..").EnsureSuccess();

        Assert.Equal(new object?[] { Path.Combine(_temp.Path, "inner") }, result.Values);
    }
}
