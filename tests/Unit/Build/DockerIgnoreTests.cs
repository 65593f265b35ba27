using ContainerPS.Engine.Build.Context;
using ContainerPS.Engine.Errors;

namespace ContainerPS.Tests.Unit.Build;

/// <summary>.dockerignore matching, from moby/patternmatcher's and the Docker CLI's own test cases and the documented examples.</summary>
public class DockerIgnoreTests
{
    // moby/patternmatcher TestMatches: pattern, path, expected.
    [Theory]
    [InlineData("**", "file", true)]
    [InlineData("**", "file/", true)]
    [InlineData("**/", "file", true)]
    [InlineData("**/", "file/", true)]
    [InlineData("**", "/", true)]
    [InlineData("**/", "/", true)]
    [InlineData("**", "dir/file", true)]
    [InlineData("**/", "dir/file", true)]
    [InlineData("**", "dir/file/", true)]
    [InlineData("**/", "dir/file/", true)]
    [InlineData("**/**", "dir/file", true)]
    [InlineData("**/**", "dir/file/", true)]
    [InlineData("dir/**", "dir/file", true)]
    [InlineData("dir/**", "dir/file/", true)]
    [InlineData("dir/**", "dir/dir2/file", true)]
    [InlineData("dir/**", "dir/dir2/file/", true)]
    [InlineData("**/dir", "dir", true)]
    [InlineData("**/dir", "dir/file", true)]
    [InlineData("**/dir2/*", "dir/dir2/file", true)]
    [InlineData("**/dir2/*", "dir/dir2/file/", true)]
    [InlineData("**/dir2/**", "dir/dir2/dir3/file", true)]
    [InlineData("**/dir2/**", "dir/dir2/dir3/file/", true)]
    [InlineData("**file", "file", true)]
    [InlineData("**file", "dir/file", true)]
    [InlineData("**/file", "dir/file", true)]
    [InlineData("**file", "dir/dir/file", true)]
    [InlineData("**/file", "dir/dir/file", true)]
    [InlineData("**/file*", "dir/dir/file", true)]
    [InlineData("**/file*", "dir/dir/file.txt", true)]
    [InlineData("**/file*txt", "dir/dir/file.txt", true)]
    [InlineData("**/file*.txt", "dir/dir/file.txt", true)]
    [InlineData("**/file*.txt*", "dir/dir/file.txt", true)]
    [InlineData("**/**/*.txt", "dir/dir/file.txt", true)]
    [InlineData("**/**/*.txt2", "dir/dir/file.txt", false)]
    [InlineData("**/*.txt", "file.txt", true)]
    [InlineData("**/**/*.txt", "file.txt", true)]
    [InlineData("a**/*.txt", "a/file.txt", true)]
    [InlineData("a**/*.txt", "a/dir/file.txt", true)]
    [InlineData("a**/*.txt", "a/dir/dir/file.txt", true)]
    [InlineData("a/*.txt", "a/dir/file.txt", false)]
    [InlineData("a/*.txt", "a/file.txt", true)]
    [InlineData("a/*.txt**", "a/file.txt", true)]
    [InlineData("a[b-d]e", "ae", false)]
    [InlineData("a[b-d]e", "ace", true)]
    [InlineData("a[b-d]e", "aae", false)]
    [InlineData("a[^b-d]e", "aze", true)]
    [InlineData(".*", ".foo", true)]
    [InlineData(".*", "foo", false)]
    [InlineData("abc.def", "abcdef", false)]
    [InlineData("abc.def", "abc.def", true)]
    [InlineData("abc.def", "abcZdef", false)]
    [InlineData("abc?def", "abcZdef", true)]
    [InlineData("abc?def", "abcdef", false)]
    [InlineData("a\\\\", "a\\", true)]
    [InlineData("**/foo/bar", "foo/bar", true)]
    [InlineData("**/foo/bar", "dir/foo/bar", true)]
    [InlineData("**/foo/bar", "dir/dir2/foo/bar", true)]
    [InlineData("abc/**", "abc", false)]
    [InlineData("abc/**", "abc/def", true)]
    [InlineData("abc/**", "abc/def/ghi", true)]
    [InlineData("**/.foo", ".foo", true)]
    [InlineData("**/.foo", "bar.foo", false)]
    [InlineData("a(b)c/def", "a(b)c/def", true)]
    [InlineData("a(b)c/def", "a(b)c/xyz", false)]
    [InlineData("a.|)$(}+{bc", "a.|)$(}+{bc", true)]
    [InlineData("dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl", "dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl", true)]
    [InlineData("dist/*.whl", "dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl", true)]
    public void Matches_like_moby_patternmatcher(string pattern, string path, bool expected) =>
        Assert.Equal(expected, DockerIgnore.FromPatterns(new[] { pattern }).IsExcluded(path));

    [Fact]
    public void A_pattern_also_excludes_everything_below_a_matching_directory()
    {
        var ignore = DockerIgnore.FromPatterns(new[] { "dir", "*/temp*", "*/*/temp*", "temp?" });
        Assert.True(ignore.IsExcluded("dir/file"));
        Assert.True(ignore.IsExcluded("dir/sub/file"));
        Assert.False(ignore.IsExcluded("dirx/file"));
        // The documented examples.
        Assert.True(ignore.IsExcluded("somedir/temporary.txt"));
        Assert.True(ignore.IsExcluded("somedir/temp"));
        Assert.True(ignore.IsExcluded("somedir/subdir/temporary.txt"));
        Assert.True(ignore.IsExcluded("tempa"));
        Assert.False(ignore.IsExcluded("temp"));
        Assert.False(ignore.IsExcluded("temporary.txt"));
    }

    [Fact]
    public void The_last_matching_pattern_wins_with_exceptions()
    {
        // Docker's documentation: all markdown except README*.md, but README-secret.md is excluded again.
        var a = DockerIgnore.Parse("*.md\n!README*.md\nREADME-secret.md\n");
        Assert.True(a.IsExcluded("CHANGELOG.md"));
        Assert.False(a.IsExcluded("README.md"));
        Assert.True(a.IsExcluded("README-secret.md"));
        // With the exception last, README-secret.md is included.
        var b = DockerIgnore.Parse("*.md\nREADME-secret.md\n!README*.md\n");
        Assert.False(b.IsExcluded("README-secret.md"));
        Assert.True(b.IsExcluded("CHANGELOG.md"));
    }

    [Fact]
    public void An_exception_reincludes_a_file_inside_an_excluded_directory()
    {
        var ignore = DockerIgnore.Parse("dir\n!dir/keep\nlogs/*\n!logs/sub/important.log\n");
        Assert.True(ignore.IsExcluded("dir"));
        Assert.True(ignore.IsExcluded("dir/other"));
        Assert.False(ignore.IsExcluded("dir/keep"));
        Assert.True(ignore.IsExcluded("logs/sub/other.log"));
        Assert.False(ignore.IsExcluded("logs/sub/important.log"));
        Assert.True(ignore.MayIncludeBelow("dir"));
        Assert.True(ignore.MayIncludeBelow("logs/sub"));
        Assert.False(ignore.MayIncludeBelow("elsewhere"));
        Assert.False(DockerIgnore.Parse("dir\n").MayIncludeBelow("dir"));
        Assert.True(DockerIgnore.Parse("*\n!**/keep.txt\n").MayIncludeBelow("a/b"));
    }

    [Fact]
    public void ReadPatterns_follows_the_docker_cli()
    {
        // The Docker CLI's TestReadAll: comments, blank lines, leading '/', '!' with spaces.
        var patterns = DockerIgnore.ReadPatterns("test1\n/test2\n/a/file/here\n\nlastfile\n# this is a comment\n! /inverted/abs/path\n!\n! \n");
        Assert.Equal(new[] { "test1", "test2", "a/file/here", "lastfile", "!inverted/abs/path", "!", "!" }, patterns);
    }

    [Fact]
    public void Patterns_are_cleaned()
    {
        var patterns = DockerIgnore.ReadPatterns("\uFEFF./a/\nb/../c\n  spaced  \n/\n.\n..\nx/./y//z\n");
        Assert.Equal(new[] { "a", "c", "spaced", "/", ".", "..", "x/y/z" }, patterns);
        var ignore = DockerIgnore.Parse("./node_modules/\n");
        Assert.True(ignore.IsExcluded("node_modules/pkg/index.js"));
        Assert.True(ignore.IsExcluded("./node_modules"));
    }

    [Fact]
    public void Comments_only_at_the_start_of_a_line()
    {
        var ignore = DockerIgnore.Parse("# comment\n #not-a-comment\n");
        Assert.False(ignore.IsExcluded("# comment"));
        Assert.True(ignore.IsExcluded("#not-a-comment"));
    }

    [Fact]
    public void The_Dockerfile_and_dockerignore_can_be_excluded_from_the_context()
    {
        // The builder reads both itself whatever the patterns say; excluding them keeps COPY . from copying them.
        var ignore = DockerIgnore.Parse("Dockerfile\n.dockerignore\n");
        Assert.True(ignore.IsExcluded("Dockerfile"));
        Assert.True(ignore.IsExcluded(".dockerignore"));
        Assert.False(ignore.IsExcluded("app.py"));
    }

    [Theory]
    [InlineData("!")]
    [InlineData("[")]
    [InlineData("a[b")]
    public void Malformed_patterns_are_refused(string pattern)
    {
        var e = Assert.Throws<InvalidArgumentException>(() => DockerIgnore.FromPatterns(new[] { pattern }));
        Assert.Equal("InvalidDockerignorePattern", e.ErrorId);
    }

    [Fact]
    public async Task Load_prefers_the_Dockerfile_specific_ignore_file()
    {
        var dir = Directory.CreateTempSubdirectory("containerps-ignore-");
        try
        {
            File.WriteAllText(Path.Combine(dir.FullName, ".dockerignore"), "a\n");
            var dockerfile = Path.Combine(dir.FullName, "app.Dockerfile");
            Assert.True((await DockerIgnore.LoadAsync(dir.FullName, dockerfile, CancellationToken.None)).IsExcluded("a"));
            File.WriteAllText(dockerfile + ".dockerignore", "b\n");
            var specific = await DockerIgnore.LoadAsync(dir.FullName, dockerfile, CancellationToken.None);
            Assert.False(specific.IsExcluded("a"));
            Assert.True(specific.IsExcluded("b"));
            Assert.Equal(dockerfile + ".dockerignore", specific.SourceFile);
            File.WriteAllText(Path.Combine(dir.FullName, ".dockerignore"), "[\n");
            var e = await Assert.ThrowsAsync<InvalidArgumentException>(() => DockerIgnore.LoadAsync(dir.FullName, null, CancellationToken.None));
            Assert.StartsWith(Path.Combine(dir.FullName, ".dockerignore") + ":", e.Message);
        }
        finally
        {
            dir.Delete(true);
        }
    }
}
