using System.Runtime.CompilerServices;
using System.Text.Json;
using ContainerPS.Engine.Build.Stages;
using ContainerPS.Engine.Errors;

namespace ContainerPS.Tests.Unit.Build;

/// <summary>
/// Golden tests: every tests/Unit/Build/Golden/&lt;case&gt;/Dockerfile parses to its expected.json
/// (syntax tree, typed instructions, expanded instructions per stage with the case's optional
/// buildargs.json), and every Golden/Malformed/&lt;case&gt;/Dockerfile fails with the message in
/// its error.txt. Set CONTAINERPS_UPDATE_GOLDEN=1 to rewrite expected files (then review the diff).
/// </summary>
public class GoldenParserTests
{
    private static string GoldenRoot([CallerFilePath] string here = "") => Path.Combine(Path.GetDirectoryName(here)!, "Golden");

    private static bool Update => Environment.GetEnvironmentVariable("CONTAINERPS_UPDATE_GOLDEN") == "1";

    public static TheoryData<string> Cases()
    {
        var data = new TheoryData<string>();
        foreach (var dir in Directory.GetDirectories(GoldenRoot()).Where(d => Path.GetFileName(d) != "Malformed").OrderBy(d => d, StringComparer.Ordinal))
            data.Add(Path.GetFileName(dir));
        return data;
    }

    public static TheoryData<string> MalformedCases()
    {
        var data = new TheoryData<string>();
        foreach (var dir in Directory.GetDirectories(Path.Combine(GoldenRoot(), "Malformed")).OrderBy(d => d, StringComparer.Ordinal))
            data.Add(Path.GetFileName(dir));
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Parses_to_the_expected_tree_and_instructions(string name)
    {
        var dir = Path.Combine(GoldenRoot(), name);
        var actual = GoldenSerializer.Serialize(Dockerfile.Parse(File.ReadAllText(Path.Combine(dir, "Dockerfile"))), BuildArgs(dir));
        var expectedPath = Path.Combine(dir, "expected.json");
        if (Update) File.WriteAllText(expectedPath, actual);
        Assert.True(File.Exists(expectedPath), $"{expectedPath} is missing (run with CONTAINERPS_UPDATE_GOLDEN=1 and review it)");
        Assert.Equal(File.ReadAllText(expectedPath), actual);
    }

    [Theory]
    [MemberData(nameof(MalformedCases))]
    public void Malformed_input_fails_with_the_expected_message(string name)
    {
        var dir = Path.Combine(GoldenRoot(), "Malformed", name);
        var error = Assert.Throws<DockerfileParseException>(() =>
        {
            var dockerfile = Dockerfile.Parse(File.ReadAllText(Path.Combine(dir, "Dockerfile")));
            // Expansion and stage errors surface when the build scopes run.
            GoldenSerializer.Serialize(dockerfile, BuildArgs(dir));
        });
        var expectedPath = Path.Combine(dir, "error.txt");
        if (Update) File.WriteAllText(expectedPath, error.Message + "\n");
        Assert.Equal(File.ReadAllText(expectedPath).TrimEnd('\n'), error.Message);
        Assert.Equal(ErrorKind.ParseError, error.Kind);
    }

    private static IReadOnlyDictionary<string, string> BuildArgs(string dir)
    {
        var path = Path.Combine(dir, "buildargs.json");
        return File.Exists(path)
            ? JsonSerializer.Deserialize<Dictionary<string, string>>(File.ReadAllText(path))!
            : new Dictionary<string, string>();
    }
}
