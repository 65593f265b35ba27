using ContainerPS.Engine.Containers.Spec;
using ContainerPS.Engine.Errors;
using ContainerPS.Runtime.Spec;

namespace ContainerPS.Tests.Unit.Spec;

public sealed class EnvironmentTests
{
    private const string DefaultPath = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    [Fact]
    public void Image_without_PATH_gets_Dockers_default_then_hostname_and_home()
    {
        var env = SpecTestBuilder.Builder().BuildEnvironment(null, null, "abc123", tty: false, home: "/root");
        Assert.Equal(new[] { DefaultPath, "HOSTNAME=abc123", "HOME=/root" }, env);
        Assert.Equal(SpecDefaults.PathEnv, DefaultPath["PATH=".Length..]);
    }

    [Fact]
    public void Image_PATH_replaces_the_default_in_place_and_tty_adds_TERM()
    {
        var env = SpecTestBuilder.Builder().BuildEnvironment(new[] { "PATH=/opt/bin:/bin", "LANG=C.UTF-8" }, null, "h", tty: true, home: "/");
        Assert.Equal(new[] { "PATH=/opt/bin:/bin", "HOSTNAME=h", "TERM=xterm", "LANG=C.UTF-8", "HOME=/" }, env);
    }

    [Fact]
    public void Options_override_image_by_name_and_new_names_are_appended()
    {
        var options = new Dictionary<string, string?> { ["B"] = "from-options", ["C"] = "3", ["TERM"] = "vt100" };
        var env = SpecTestBuilder.Builder().BuildEnvironment(new[] { "A=1", "B=2" }, options, "h", tty: true, home: "/root");
        Assert.Equal(new[] { DefaultPath, "HOSTNAME=h", "TERM=vt100", "A=1", "B=from-options", "C=3", "HOME=/root" }, env);
    }

    [Fact]
    public void Null_value_takes_the_callers_variable_or_unsets_the_name()
    {
        var builder = SpecTestBuilder.Builder(callerEnv: new Dictionary<string, string> { ["TOKEN"] = "s3cret" });
        var options = new Dictionary<string, string?> { ["TOKEN"] = null, ["A"] = null };
        var env = builder.BuildEnvironment(new[] { "A=from-image", "B=2" }, options, "h", tty: false, home: "/");
        Assert.Equal(new[] { DefaultPath, "HOSTNAME=h", "B=2", "TOKEN=s3cret", "HOME=/" }, env);
    }

    [Fact]
    public void HOME_and_HOSTNAME_set_by_image_or_options_win()
    {
        var env = SpecTestBuilder.Builder().BuildEnvironment(new[] { "HOME=/srv" }, new Dictionary<string, string?> { ["HOSTNAME"] = "x" }, "h", false, "/root");
        Assert.Equal(new[] { DefaultPath, "HOSTNAME=x", "HOME=/srv" }, env);
    }

    [Fact]
    public void Values_keep_equals_signs_and_empty_values()
    {
        var env = SpecTestBuilder.Builder().BuildEnvironment(new[] { "OPTS=a=b=c", "EMPTY=" }, new Dictionary<string, string?> { ["X"] = "" }, "h", false, "/");
        Assert.Contains("OPTS=a=b=c", env);
        Assert.Contains("EMPTY=", env);
        Assert.Contains("X=", env);
    }

    [Theory]
    [InlineData("")]
    [InlineData("A=B")]
    [InlineData("NUL\0")]
    public void Unusable_names_are_refused(string name)
    {
        var ex = Assert.Throws<InvalidArgumentException>(() =>
            SpecTestBuilder.Builder().BuildEnvironment(null, new Dictionary<string, string?> { [name] = "v" }, "h", false, "/"));
        Assert.Equal("InvalidEnvironmentVariable", ex.ErrorId);
    }
}
