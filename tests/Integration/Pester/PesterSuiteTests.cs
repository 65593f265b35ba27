using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using System.Text;
using ContainerPS.Tests.Integration.Harness;
using ContainerPS.Tests.Integration.Images;
using Xunit;

namespace ContainerPS.Tests.Integration.Pester;

/// <summary>
/// Runs tests/Pester/*.Tests.ps1 — the Pester 5 suites users run with Invoke-Pester — with
/// MiniPester (MiniPester.psm1 next to this file), because neither pwsh nor Pester can be
/// installed here; CI runs the same files with real Pester. Also parses every shipped script.
/// The suites point $env:CONTAINERPS_ROOT (process-wide) at stores of their own, so this
/// class shares the Images collection, which nothing runs beside, and restores the variable.
/// </summary>
[Collection(ImagesCollection.Name)]
public sealed class PesterSuiteTests
{
    private const string RootVariable = "CONTAINERPS_ROOT";

    private static string PesterDirectory => Path.Combine(TestPaths.RepoRoot, "tests", "Pester");

    private static string MiniPesterDirectory => Path.Combine(TestPaths.RepoRoot, "tests", "Integration", "Pester");

    /// <summary>Each tests/Pester/*.Tests.ps1, relative to tests/Pester.</summary>
    public static TheoryData<string> Suites()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(PesterDirectory, "*.Tests.ps1", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetRelativePath(PesterDirectory, file));
        }
        return data;
    }

    /// <summary>Every *.ps1 and *.psm1 under tests/Pester, tests/Integration/Pester, scripts and examples, relative to the repository.</summary>
    public static TheoryData<string> Scripts()
    {
        var data = new TheoryData<string>();
        var roots = new[] { "tests/Pester", "tests/Integration/Pester", "scripts", "examples" };
        var files = roots
            .Select(r => Path.Combine(TestPaths.RepoRoot, r))
            .Where(Directory.Exists)
            .SelectMany(d => Directory.EnumerateFiles(d, "*.ps*1", SearchOption.AllDirectories))
            .Where(f => f.EndsWith(".ps1", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".psm1", StringComparison.OrdinalIgnoreCase))
            .Select(f => Path.GetRelativePath(TestPaths.RepoRoot, f).Replace('\\', '/'))
            .Where(f => !f.Split('/').Any(part => part is "bin" or "obj"))
            .Order(StringComparer.Ordinal);
        foreach (var file in files)
        {
            data.Add(file);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Suites))]
    public void Suite_passes_under_MiniPester(string suite)
    {
        Assert.True(TestPaths.FindModuleManifest() is not null, "The ContainerPS module is not built: run ./build.sh first.");

        var run = RunMiniPester(Path.Combine(PesterDirectory, suite));

        Assert.True(run.FailedCount == 0 && run.FailedBlocksCount == 0 && run.FailedContainersCount == 0, run.Report());
        Assert.True(run.PassedCount > 0, "no test passed (were any discovered?)\n" + run.Report());
    }

    [Theory]
    [MemberData(nameof(Scripts))]
    public void Script_parses_without_errors(string script)
    {
        Parser.ParseFile(Path.Combine(TestPaths.RepoRoot, script), out _, out ParseError[] errors);

        Assert.True(errors.Length == 0, string.Join("\n", errors.Select(e => $"{script}:{e.Extent.StartLineNumber}:{e.Extent.StartColumnNumber}: {e.Message}")));
    }

    [Fact]
    public void Every_suite_under_tests_Pester_is_named_so_Invoke_Pester_finds_it()
    {
        // A file with Describe blocks not named *.Tests.ps1 is skipped by Invoke-Pester (and by Suites above).
        var misnamed = Directory.GetFiles(PesterDirectory, "*.ps1", SearchOption.AllDirectories)
            .Where(f => !f.EndsWith(".Tests.ps1", StringComparison.Ordinal))
            .Where(f => Parser.ParseFile(f, out _, out _)
                .FindAll(a => a is CommandAst c && IsBlockKeyword(c.GetCommandName()), searchNestedScriptBlocks: true)
                .Any())
            .Select(f => Path.GetRelativePath(TestPaths.RepoRoot, f))
            .ToList();

        Assert.Empty(misnamed);
        Assert.NotEmpty(Suites());
    }

    [Fact]
    public void MiniPester_follows_Pester_5_semantics()
    {
        var run = RunMiniPester(Path.Combine(MiniPesterDirectory, "Fixtures", "Semantics.Fixture.ps1"));

        Assert.True(run.FailedCount == 0 && run.FailedBlocksCount == 0 && run.FailedContainersCount == 0, run.Report());
        Assert.Equal(3, run.SkippedCount);
        Assert.Equal(34, run.PassedCount);
        Assert.Contains(run.Tests, t => t.Path == "data-driven tests.squares 3 to 9" && t.Result == "Passed");
        Assert.Contains(run.Tests, t => t.Path == "data-driven tests.takes any array: b" && t.Result == "Passed");
        Assert.Contains(run.Tests, t => t.Path == "data-driven tests.block for second.sees block data in BeforeAll and It");
    }

    [Fact]
    public void MiniPester_reports_failures_with_message_and_line()
    {
        var run = RunMiniPester(
            Path.Combine(MiniPesterDirectory, "Fixtures", "Failures.Fixture.ps1"),
            Path.Combine(MiniPesterDirectory, "Fixtures", "DiscoveryFailure.Fixture.ps1"));

        var byPath = run.Tests.ToDictionary(t => t.Path);
        Assert.Equal(10, run.Tests.Count);
        Assert.Equal((2, 7, 1), (run.PassedCount, run.FailedCount, run.SkippedCount));

        Assert.Equal("Passed", byPath["failing tests.passes"].Result);
        AssertFailed(byPath["failing tests.fails an assertion"], "Expected 'expected', but got 'actual'.", 12);
        AssertFailed(byPath["failing tests.throws"], "thrown by the test", 16);
        AssertFailed(byPath["failing tests.calls a command that does not exist"], "Invoke-NoSuchCommand", 20);
        Assert.Equal("Skipped", byPath["failing tests.is skipped"].Result);
        AssertFailed(byPath["a BeforeAll that throws.fails with the setup error (1)"], "setup failed", 30);
        AssertFailed(byPath["a BeforeAll that throws.fails with the setup error (2)"], "setup failed", 30);
        Assert.Equal("Passed", byPath["an AfterAll that throws.still passes itself"].Result);
        AssertFailed(byPath["a BeforeEach or AfterEach that throws.BeforeEach.fails without running"], "before each failed", 47);
        AssertFailed(byPath["a BeforeEach or AfterEach that throws.AfterEach.fails after running"], "after each failed", 52);

        Assert.Equal(1, run.FailedBlocksCount);
        Assert.Contains("teardown failed", run.Report());
        Assert.Equal(1, run.FailedContainersCount);
        Assert.Contains("discovery failed", run.Report());
        Assert.DoesNotContain(run.Tests, t => t.Path.StartsWith("never runs", StringComparison.Ordinal));
    }

    private static bool IsBlockKeyword(string? name) =>
        string.Equals(name, "Describe", StringComparison.OrdinalIgnoreCase) || string.Equals(name, "Context", StringComparison.OrdinalIgnoreCase);

    private static void AssertFailed(TestOutcome test, string message, int line)
    {
        Assert.Equal("Failed", test.Result);
        Assert.Contains(message, test.ErrorMessage);
        Assert.Equal(line, test.Line);
    }

    /// <summary>Runs files with MiniPester in a fresh runspace, restoring $env:CONTAINERPS_ROOT afterwards.</summary>
    private static RunOutcome RunMiniPester(params string[] files)
    {
        string? previousRoot = Environment.GetEnvironmentVariable(RootVariable);
        try
        {
            using var session = new PowerShellSession();
            session.SetLocation(TestPaths.RepoRoot);
            var result = session.Run(
                "Import-Module -Name $MiniPester -Force -ErrorAction Stop; Invoke-MiniPester -Path $Files -Output None",
                new Dictionary<string, object?>
                {
                    ["MiniPester"] = Path.Combine(MiniPesterDirectory, "MiniPester.psm1"),
                    ["Files"] = files,
                });
            if (result.TerminatingError is not null || result.Output.Count != 1)
            {
                throw new Xunit.Sdk.XunitException($"Invoke-MiniPester failed itself:\n{result.ErrorText}");
            }
            return RunOutcome.From(result.Output[0]);
        }
        finally
        {
            Environment.SetEnvironmentVariable(RootVariable, previousRoot);
        }
    }

    private sealed record TestOutcome(string Path, string Result, string? ErrorMessage, int? Line);

    private sealed record RunOutcome(
        int PassedCount,
        int FailedCount,
        int SkippedCount,
        int FailedBlocksCount,
        int FailedContainersCount,
        IReadOnlyList<TestOutcome> Tests,
        IReadOnlyList<string> Problems)
    {
        public static RunOutcome From(PSObject run)
        {
            var tests = Items(run, "Tests")
                .Select(t => new TestOutcome(
                    (string)Value(t, "ExpandedPath")!,
                    (string)Value(t, "Result")!,
                    Value(t, "ErrorMessage") as string,
                    Value(t, "Line") is { } line ? Convert.ToInt32(line, System.Globalization.CultureInfo.InvariantCulture) : null))
                .ToList();
            var problems = Items(run, "FailedBlocks").Select(b => $"block {Value(b, "Name")}: {Value(b, "ErrorMessage")}")
                .Concat(Items(run, "FailedContainers").Select(c => $"file {Value(c, "Name")}: {Value(c, "ErrorMessage")}"))
                .ToList();
            return new RunOutcome(
                Count(run, "PassedCount"),
                Count(run, "FailedCount"),
                Count(run, "SkippedCount"),
                Count(run, "FailedBlocksCount"),
                Count(run, "FailedContainersCount"),
                tests,
                problems);
        }

        /// <summary>Counts, then every failed test, block and file with its message.</summary>
        public string Report()
        {
            var text = new StringBuilder();
            text.Append($"MiniPester: {PassedCount} passed, {FailedCount} failed, {SkippedCount} skipped, ")
                .AppendLine($"{FailedBlocksCount} failed blocks, {FailedContainersCount} failed files");
            foreach (var test in Tests.Where(t => t.Result == "Failed"))
            {
                text.AppendLine($"[-] {test.Path}").AppendLine("    " + test.ErrorMessage?.Replace("\n", "\n    ", StringComparison.Ordinal));
            }
            foreach (var problem in Problems)
            {
                text.AppendLine("[-] " + problem.Replace("\n", "\n    ", StringComparison.Ordinal));
            }
            return text.ToString();
        }

        private static object? Value(PSObject o, string name)
        {
            var value = o.Properties[name]?.Value;
            return value is PSObject wrapped && wrapped.BaseObject is not PSCustomObject ? wrapped.BaseObject : value;
        }

        private static int Count(PSObject o, string name) => Convert.ToInt32(Value(o, name), System.Globalization.CultureInfo.InvariantCulture);

        private static IEnumerable<PSObject> Items(PSObject o, string name) =>
            Value(o, name) is IEnumerable items ? items.Cast<object>().Select(PSObject.AsPSObject) : Enumerable.Empty<PSObject>();
    }
}
